package io.eventgateway.ingest;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.ingest.auth.ApiKeyDigestCommand;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ingest role: the gateway's front door over HTTP and gRPC. */
@SpringBootApplication
public class IngestApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "ingest-app";

	public static void main(String[] args) throws Exception {
		if (ApiKeyDigestCommand.requested(args)) {
			// A tool, not the role: no Spring, no settings, nothing logged.
			System.exit(ApiKeyDigestCommand.run(System.in, System.out, System.err));
		}
		GatewayApplications.builder(IngestApplication.class, ROLE).run(args);
	}

}
