package io.eventgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.publisher.PublisherApplication;
import io.eventgateway.worker.WorkerApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway of the burst scenario: the orchestrator in a JVM of its own with a small
 * heap ({@link OrchestratorProcess}), publisher, ingest and the benchmark's worker in
 * this one.
 */
final class BurstGateway implements AutoCloseable {

	private final OrchestratorProcess orchestrator;

	private final ConfigurableApplicationContext publisher;

	private final ConfigurableApplicationContext worker;

	private final ConfigurableApplicationContext ingest;

	private BurstGateway(OrchestratorProcess orchestrator, ConfigurableApplicationContext publisher,
			ConfigurableApplicationContext worker, ConfigurableApplicationContext ingest) {
		this.orchestrator = orchestrator;
		this.publisher = publisher;
		this.worker = worker;
		this.ingest = ingest;
	}

	/**
	 * Starts the orchestrator (JVM options and settings given), then the other roles.
	 * @param folder where the orchestrator's output goes
	 */
	static BurstGateway start(String bootstrapServers, List<String> orchestratorJvm, List<String> orchestratorSettings,
			BenchProcessor processor, Path folder) throws IOException, InterruptedException {
		OrchestratorProcess orchestrator = OrchestratorProcess.start(bootstrapServers, orchestratorJvm,
				orchestratorSettings, folder);
		ConfigurableApplicationContext publisher = null;
		ConfigurableApplicationContext worker = null;
		try {
			publisher = LocalRoles.start(PublisherApplication.class, PublisherApplication.ROLE, bootstrapServers,
					List.of(), null);
			worker = LocalRoles
				.start(WorkerApplication.class, WorkerApplication.ROLE, bootstrapServers,
						List.of("--gateway.worker.orchestrators=127.0.0.1:" + orchestrator.grpcPort(),
								"--gateway.worker.concurrency=1", "--gateway.worker.max-tasks-per-batch=50"),
						processor);
			ConfigurableApplicationContext ingest = LocalRoles.start(IngestApplication.class, IngestApplication.ROLE,
					bootstrapServers,
					List.of("--spring.grpc.client.channels.publisher.address=static://127.0.0.1:"
							+ LocalRoles.grpcPort(publisher), "--management.server.port=0",
							"--management.server.address=127.0.0.1"),
					null);
			return new BurstGateway(orchestrator, publisher, worker, ingest);
		}
		catch (RuntimeException ex) {
			LocalRoles.close(worker, publisher);
			orchestrator.close();
			throw ex;
		}
	}

	OrchestratorProcess orchestrator() {
		return this.orchestrator;
	}

	int ingestGrpcPort() {
		return LocalRoles.grpcPort(this.ingest);
	}

	/** Stops ingest first, so that nothing new arrives, and the orchestrator last. */
	@Override
	public void close() throws InterruptedException {
		LocalRoles.close(this.ingest, this.worker, this.publisher);
		this.orchestrator.close();
	}

}
