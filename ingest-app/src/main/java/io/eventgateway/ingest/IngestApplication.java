package io.eventgateway.ingest;

import io.eventgateway.common.autoconfigure.GatewayApplications;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ingest role: the gateway's front door over HTTP and gRPC. */
@SpringBootApplication
public class IngestApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "ingest-app";

	public static void main(String[] args) {
		GatewayApplications.builder(IngestApplication.class, ROLE).run(args);
	}

}
