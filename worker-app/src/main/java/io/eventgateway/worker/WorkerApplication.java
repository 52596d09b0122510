package io.eventgateway.worker;

import io.eventgateway.common.autoconfigure.GatewayApplications;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker role: fetches leased tasks, runs the {@code EventProcessor}, answers ACK or
 * NACK.
 */
@SpringBootApplication
public class WorkerApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "worker-app";

	public static void main(String[] args) {
		GatewayApplications.builder(WorkerApplication.class, ROLE).run(args);
	}

}
