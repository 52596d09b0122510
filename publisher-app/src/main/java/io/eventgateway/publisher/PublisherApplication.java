package io.eventgateway.publisher;

import java.time.Duration;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.publisher.failure.ReplayPermit;
import io.eventgateway.publisher.failure.SpoolReplayer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The publisher role: the gateway's Kafka producer proxy. With the argument
 * {@code republish} it instead replays the spool into the primary cluster and exits
 * (status 1 if anything is left, or if another instance holds the lock of a shared
 * spool).
 */
@SpringBootApplication
public class PublisherApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "publisher-app";

	/** The argument that runs the spool replay instead of the server. */
	public static final String REPUBLISH = "republish";

	/** How long {@code republish} waits for the replay lock of a shared spool. */
	private static final Duration REPLAY_LOCK_WAIT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(PublisherApplication.class);

	public static void main(String[] args) throws Exception {
		if (Arrays.asList(args).contains(REPUBLISH)) {
			System.exit(republish(args));
		}
		GatewayApplications.builder(PublisherApplication.class, ROLE).run(args);
	}

	/**
	 * Replays the spool once, without serving anything, and returns the exit status: 0
	 * when the spool is empty afterwards. A shared spool is replayed only once this
	 * process holds its replay lock, which the running publishers may keep: then it
	 * leaves the spool to them and exits with 1.
	 */
	static int republish(String[] args) throws Exception {
		try (ConfigurableApplicationContext context = GatewayApplications.builder(PublisherApplication.class, ROLE)
			.web(WebApplicationType.NONE)
			.properties("spring.grpc.server.enabled=false", "gateway.publisher.failed-writes-processor.enabled=false",
					"gateway.publisher.spool.replay-interval=0s", "gateway.publisher.spool.drain-on-stop=0s")
			.run(args)) {
			if (!context.getBean(ReplayPermit.class).awaitHeld(REPLAY_LOCK_WAIT)) {
				logger.error("Another instance holds the replay lock of this shared spool and replays it; nothing"
						+ " replayed here");
				return 1;
			}
			SpoolReplayer replayer = context.getBean(SpoolReplayer.class);
			replayer.replayAll();
			int remaining = replayer.remaining();
			if (remaining > 0) {
				logger.error(remaining + " events remain in the spool");
			}
			return (remaining == 0) ? 0 : 1;
		}
	}

}
