package io.eventgateway.publisher;

import java.util.Arrays;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.publisher.failure.SpoolReplayer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The publisher role: the gateway's Kafka producer proxy. With the argument
 * {@code republish} it instead replays the spool into the primary cluster and exits
 * (status 1 if anything is left).
 */
@SpringBootApplication
public class PublisherApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "publisher-app";

	/** The argument that runs the spool replay instead of the server. */
	public static final String REPUBLISH = "republish";

	public static void main(String[] args) throws Exception {
		if (Arrays.asList(args).contains(REPUBLISH)) {
			System.exit(republish(args));
		}
		GatewayApplications.builder(PublisherApplication.class, ROLE).run(args);
	}

	/** Replays the spool once, without serving anything, and returns the exit status. */
	static int republish(String[] args) throws Exception {
		try (ConfigurableApplicationContext context = GatewayApplications.builder(PublisherApplication.class, ROLE)
			.web(WebApplicationType.NONE)
			.properties("spring.grpc.server.enabled=false", "gateway.publisher.failed-writes-processor.enabled=false",
					"gateway.publisher.spool.replay-interval=0s")
			.run(args)) {
			context.getBean(SpoolReplayer.class).replayAll();
			return 0;
		}
	}

}
