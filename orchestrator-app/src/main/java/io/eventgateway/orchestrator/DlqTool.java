package io.eventgateway.orchestrator;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;

import org.apache.kafka.common.KafkaException;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.orchestrator.config.DlqConfiguration;
import io.eventgateway.orchestrator.dlq.DeadLetterReader;
import io.eventgateway.orchestrator.dlq.DeadLetterRedriver;
import io.eventgateway.orchestrator.dlq.DlqCommand;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The {@code dlq} command: the orchestrator's settings and the dead-letter tools, without
 * its sources, leases or servers, so that running it never joins the orchestrators'
 * consumer groups. Not a component, so the orchestrator's own scan leaves it out.
 */
@EnableAutoConfiguration
@Import(DlqConfiguration.class)
class DlqTool {

	/** Exit status of a command line that cannot be parsed. */
	static final int USAGE_ERROR = 2;

	/**
	 * Runs {@code dlq list|show|redrive ...} and returns the exit status: 0 when done, 1
	 * when a letter failed to redrive or none was found to show, 2 on a wrong command
	 * line.
	 */
	static int run(String[] args, PrintStream out, PrintStream err) {
		DlqCommand command;
		try {
			command = DlqCommand.parse(args, Clock.systemUTC());
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			err.println(DlqCommand.USAGE);
			return USAGE_ERROR;
		}
		try (ConfigurableApplicationContext context = GatewayApplications
			.builder(DlqTool.class, OrchestratorApplication.ROLE)
			.web(WebApplicationType.NONE)
			// Reads and writes only: no gRPC server, no bus consumer, and no creation of
			// the gateway's topics at start, which would bring back an origin topic an
			// operator deleted (the ledger topic is still created when missing). The
			// orchestrator's health groups name contributors this context does not have.
			.properties("spring.grpc.server.enabled=false", "spring.cloud.bus.enabled=false",
					"spring.kafka.admin.auto-create=false", "spring.main.banner-mode=off",
					"management.endpoint.health.validate-group-membership=false")
			.run(command.settings().toArray(String[]::new))) {
			try {
				return command.run(context.getBean(DeadLetterReader.class), context.getBean(DeadLetterRedriver.class),
						out);
			}
			catch (IllegalStateException ex) {
				// A missing topic, a cluster that does not answer: one line, no trace.
				err.println("dlq " + command.action().name().toLowerCase(Locale.ROOT) + " failed: " + ex.getMessage());
				return 1;
			}
			catch (KafkaException ex) {
				// A broker that is down or unreachable times out inside the client.
				err.println("dlq " + command.action().name().toLowerCase(Locale.ROOT) + " failed: " + ex.getMessage()
						+ " (is the cluster at spring.kafka.bootstrap-servers="
						+ context.getEnvironment().getProperty("spring.kafka.bootstrap-servers") + " up?)");
				return 1;
			}
		}
	}

}
