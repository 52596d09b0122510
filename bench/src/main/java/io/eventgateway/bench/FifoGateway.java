package io.eventgateway.bench;

import java.io.IOException;
import java.util.List;

import io.eventgateway.bench.load.LoadGenerator;

import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The front door of the FIFO baseline: the gateway's own ingest and publisher in this
 * JVM, with every event classified P20, so that every event lands on one topic,
 * {@value #TOPIC}, through the same path (and the same costs) as the gateway's events.
 * P20 because no later stage of ingest moves it elsewhere: the AIMD admission rate and
 * its offload topic apply to P10 only, and the quotas (10,000 events/s per company by
 * default) are far above any benchmark load.
 */
final class FifoGateway implements AutoCloseable {

	/** The one topic every event of the baseline goes to. */
	static final String TOPIC = "fifo.p20";

	private final ConfigurableApplicationContext publisher;

	private final ConfigurableApplicationContext ingest;

	private final LoadGenerator loadGenerator;

	private FifoGateway(ConfigurableApplicationContext publisher, ConfigurableApplicationContext ingest,
			LoadGenerator loadGenerator) {
		this.loadGenerator = loadGenerator;
		this.publisher = publisher;
		this.ingest = ingest;
	}

	static FifoGateway start(String bootstrapServers) {
		// Its own topic prefix, apart from the gateway's topics on the same broker.
		List<String> shared = List.of("--gateway.topics.prefix=fifo");
		ConfigurableApplicationContext publisher = LocalRoles.start(PublisherApplication.class,
				PublisherApplication.ROLE, bootstrapServers, shared, null);
		try {
			ConfigurableApplicationContext ingest = LocalRoles.start(IngestApplication.class, IngestApplication.ROLE,
					bootstrapServers,
					List.of("--gateway.topics.prefix=fifo",
							"--spring.grpc.client.channels.publisher.address=static://127.0.0.1:"
									+ LocalRoles.grpcPort(publisher),
							"--management.server.port=0", "--management.server.address=127.0.0.1",
							// One rule replaces the default list: every event is P20.
							"--gateway.ingest.classifier.default-priority=P20",
							"--gateway.ingest.classifier.rules[0].name=fifo",
							"--gateway.ingest.classifier.rules[0].event-type-prefix=trigger.",
							"--gateway.ingest.classifier.rules[0].priority=P20"),
					null);
			try {
				// The same load generator, in its own JVM, as the gateway's run.
				return new FifoGateway(publisher, ingest, LoadGenerator.start());
			}
			catch (IOException ex) {
				LocalRoles.close(ingest);
				throw new IllegalStateException("the FIFO baseline's load generator did not start", ex);
			}
		}
		catch (RuntimeException ex) {
			publisher.close();
			throw ex;
		}
	}

	/** A load into this front door's ingest. */
	GatewayLoad load(String runId) {
		return new GatewayLoad(this.loadGenerator, LocalRoles.grpcPort(this.ingest), runId);
	}

	@Override
	public void close() {
		try {
			this.loadGenerator.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			LocalRoles.close(this.ingest, this.publisher);
		}
	}

}
