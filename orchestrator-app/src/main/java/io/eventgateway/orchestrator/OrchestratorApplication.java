package io.eventgateway.orchestrator;

import java.util.Arrays;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.orchestrator.dlq.DlqCommand;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The orchestrator role: buffers events by priority and deadline and leases them to
 * workers. With the argument {@code dlq} it instead lists, shows or redrives dead letters
 * and exits (see {@link DlqCommand#USAGE}).
 */
@SpringBootApplication
public class OrchestratorApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "orchestrator-app";

	public static void main(String[] args) {
		if (Arrays.asList(args).contains(DlqCommand.NAME)) {
			System.exit(DlqTool.run(args, System.out, System.err));
		}
		GatewayApplications.builder(OrchestratorApplication.class, ROLE).run(args);
	}

}
