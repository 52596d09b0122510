package io.eventgateway.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.publisher.PublisherApplication;
import io.eventgateway.worker.WorkerApplication;
import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Every gateway role running in this JVM as its own Spring application, wired together
 * over loopback: publisher, orchestrator, worker, ingest. Each role keeps its own
 * settings file, ports, Kafka clients and gRPC server, exactly as when deployed apart.
 *
 * <p>
 * Not thread-safe: start and stop roles from one thread.
 */
public final class GatewayCluster implements AutoCloseable {

	private final Settings settings;

	private final ManagementLogin management;

	private ConfigurableApplicationContext publisher;

	private ConfigurableApplicationContext orchestrator;

	private ConfigurableApplicationContext worker;

	private ConfigurableApplicationContext ingest;

	private GatewayCluster(Settings settings) {
		this.settings = settings;
		this.management = ManagementLogin.from(settings.args());
	}

	/**
	 * Starts every role, the worker with the given processor (or the default when
	 * {@code null}) unless {@code withWorker} is false.
	 */
	public static GatewayCluster start(Settings settings, boolean withWorker, EventProcessor processor) {
		GatewayCluster cluster = new GatewayCluster(settings);
		try {
			cluster.publisher = cluster.run(PublisherApplication.class, PublisherApplication.ROLE,
					settings.ports().publisherHttp(), settings.ports().publisherGrpc());
			cluster.startOrchestrator();
			if (withWorker) {
				cluster.startWorker(processor);
			}
			cluster.ingest = cluster.run(IngestApplication.class, IngestApplication.ROLE, settings.ports().ingestHttp(),
					settings.ports().ingestGrpc(),
					"--spring.grpc.client.channels.publisher.address=static://127.0.0.1:" + grpcPort(cluster.publisher),
					"--management.server.port=" + settings.ports().ingestManagement(),
					"--management.server.address=127.0.0.1");
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/** Starts the orchestrator, if it is not running. */
	public ConfigurableApplicationContext startOrchestrator() {
		if (this.orchestrator == null) {
			this.orchestrator = run(OrchestratorApplication.class, OrchestratorApplication.ROLE,
					this.settings.ports().orchestratorHttp(), this.settings.ports().orchestratorGrpc());
		}
		return this.orchestrator;
	}

	/**
	 * Stops the orchestrator, as a crash would as far as its leases go: nothing it leased
	 * is answered first.
	 */
	public void stopOrchestrator() {
		if (this.orchestrator != null) {
			this.orchestrator.close();
			this.orchestrator = null;
		}
	}

	/**
	 * Starts a worker (if none runs) with the given processor, or the default when
	 * {@code null}.
	 */
	public ConfigurableApplicationContext startWorker(EventProcessor processor) {
		if (this.worker == null) {
			Consumer<SpringApplicationBuilder> customizer = (builder) -> {
				if (processor != null) {
					builder.initializers((context) -> ((GenericApplicationContext) context)
						.registerBean(EventProcessor.class, () -> processor));
				}
			};
			this.worker = run(WorkerApplication.class, WorkerApplication.ROLE, this.settings.ports().workerHttp(), -1,
					customizer, "--gateway.worker.orchestrators=127.0.0.1:" + grpcPort(this.orchestrator));
		}
		return this.worker;
	}

	/** Stops the worker, if one runs. */
	public void stopWorker() {
		if (this.worker != null) {
			this.worker.close();
			this.worker = null;
		}
	}

	/** The publisher's application context. */
	public ConfigurableApplicationContext publisher() {
		return this.publisher;
	}

	/** The orchestrator's application context. */
	public ConfigurableApplicationContext orchestrator() {
		return this.orchestrator;
	}

	/** The worker's application context, or {@code null} when no worker runs. */
	public ConfigurableApplicationContext worker() {
		return this.worker;
	}

	/** The ingest application context. */
	public ConfigurableApplicationContext ingest() {
		return this.ingest;
	}

	/** The HTTP port ingest listens on. */
	public int ingestHttpPort() {
		return this.ingest.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/** The port of ingest's actuator, apart from its API. */
	public int ingestManagementPort() {
		return this.ingest.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

	/**
	 * The credentials every role's management endpoints (refresh, busrefresh, gateway,
	 * metrics) take: those given in the settings' arguments, else made up for this
	 * cluster.
	 */
	public ManagementLogin management() {
		return this.management;
	}

	/** The gRPC port ingest listens on. */
	public int ingestGrpcPort() {
		return grpcPort(this.ingest);
	}

	/**
	 * Stops every role, the front door first so that nothing new arrives while the rest
	 * drains.
	 */
	@Override
	public void close() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.ingest, this.worker,
				this.orchestrator, this.publisher }) {
			if (context != null) {
				context.close();
			}
		}
		this.ingest = null;
		this.worker = null;
		this.orchestrator = null;
		this.publisher = null;
	}

	private ConfigurableApplicationContext run(Class<?> application, String role, int httpPort, int grpcPort,
			String... extraArgs) {
		return run(application, role, httpPort, grpcPort, (builder) -> {
		}, extraArgs);
	}

	private ConfigurableApplicationContext run(Class<?> application, String role, int httpPort, int grpcPort,
			Consumer<SpringApplicationBuilder> customizer, String... extraArgs) {
		List<String> args = new ArrayList<>(this.settings.args());
		if (this.management.generated()) {
			args.addAll(this.management.roleArgs());
		}
		args.add("--spring.kafka.bootstrap-servers=" + this.settings.bootstrapServers());
		args.add("--server.port=" + httpPort);
		args.add("--server.address=127.0.0.1");
		if (grpcPort >= 0) {
			args.add("--spring.grpc.server.port=" + grpcPort);
			args.add("--spring.grpc.server.host=127.0.0.1");
		}
		args.add("--spring.main.banner-mode=off");
		args.addAll(List.of(extraArgs));
		SpringApplicationBuilder builder = GatewayApplications.builder(application, role).main(application);
		customizer.accept(builder);
		return builder.run(args.toArray(String[]::new));
	}

	private static int grpcPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
	}

	/**
	 * How to run the cluster.
	 *
	 * @param bootstrapServers the Kafka cluster
	 * @param ports the ports of each role; 0 picks a free one
	 * @param args extra arguments (Spring properties as {@code --key=value}) for every
	 * role
	 */
	public record Settings(String bootstrapServers, Ports ports, List<String> args) {
	}

	/**
	 * The ports of each role.
	 *
	 * @param ingestHttp ingest's HTTP API
	 * @param ingestGrpc ingest's gRPC API
	 * @param ingestManagement ingest's actuator
	 * @param publisherHttp the publisher's actuator
	 * @param publisherGrpc the publisher's PublishEvents endpoint
	 * @param orchestratorHttp the orchestrator's actuator
	 * @param orchestratorGrpc the orchestrator's FetchTasks endpoint
	 * @param workerHttp the worker's actuator
	 */
	public record Ports(int ingestHttp, int ingestGrpc, int ingestManagement, int publisherHttp, int publisherGrpc,
			int orchestratorHttp, int orchestratorGrpc, int workerHttp) {

		/** The documented default ports. */
		public static Ports defaults() {
			return new Ports(8080, 9080, 8090, 8081, 9081, 8082, 9082, 8083);
		}

		/** Free ports chosen by the operating system, for tests. */
		public static Ports random() {
			return new Ports(0, 0, 0, 0, 0, 0, 0, 0);
		}

		/**
		 * These ports with the orchestrator's gRPC port fixed, so workers find a
		 * restarted one.
		 */
		public Ports withOrchestratorGrpc(int port) {
			return new Ports(this.ingestHttp, this.ingestGrpc, this.ingestManagement, this.publisherHttp,
					this.publisherGrpc, this.orchestratorHttp, port, this.workerHttp);
		}

	}

}
