package io.eventgateway.orchestrator;

import io.eventgateway.common.autoconfigure.GatewayApplications;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The orchestrator role: buffers events by deadline and leases them to workers. */
@SpringBootApplication
public class OrchestratorApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "orchestrator-app";

	public static void main(String[] args) {
		GatewayApplications.builder(OrchestratorApplication.class, ROLE).run(args);
	}

}
