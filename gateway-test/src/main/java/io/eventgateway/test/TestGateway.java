package io.eventgateway.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import io.eventgateway.client.GatewayClient;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.embedded.GatewayCluster;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * A whole gateway running in the test JVM: publisher, orchestrator, ingest and,
 * optionally, a worker, each a Spring application on free loopback ports, over a real
 * Kafka broker (in-JVM KRaft, or Testcontainers where Docker answers; see
 * {@link KafkaTestBroker}). Its topics and consumer groups carry a prefix of their own,
 * so several gateways share the broker without seeing each other's events, and its
 * management credentials are made up for the run.
 *
 * <p>
 * Usually started by {@link EventGatewayExtension}; {@link #start(GatewayOptions)} serves
 * tests that manage the lifecycle themselves. The accessors and await methods are
 * thread-safe; start and close from one thread.
 */
public final class TestGateway implements AutoCloseable {

	private final GatewayOptions options;

	private final String prefix;

	private final Path spool;

	private final @Nullable RecordingProcessor recorder;

	private final GatewayCluster cluster;

	private final Admin admin;

	private @Nullable GatewayClient client;

	private TestGateway(GatewayOptions options, String prefix, Path spool, @Nullable RecordingProcessor recorder,
			GatewayCluster cluster) {
		this.options = options;
		this.prefix = prefix;
		this.spool = spool;
		this.recorder = recorder;
		this.cluster = cluster;
		this.admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

	/**
	 * Starts a gateway (and, on first use in this JVM, the broker). Close it when done.
	 */
	public static TestGateway start(GatewayOptions options) {
		String prefix = "gwtest-" + UUID.randomUUID().toString().substring(0, 8);
		Path spool = createSpool(prefix);
		RecordingProcessor recorder = options.worker() ? new RecordingProcessor(options.processor()) : null;
		GatewayCluster cluster = GatewayCluster.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(),
				GatewayCluster.Ports.random(), roleArgs(options, prefix, spool)), options.worker(), recorder);
		return new TestGateway(options, prefix, spool, recorder, cluster);
	}

	/** Ingest's gRPC API as a gRPC target, {@code 127.0.0.1:<port>}. */
	public String ingestGrpcTarget() {
		return "127.0.0.1:" + this.cluster.ingestGrpcPort();
	}

	/**
	 * Ingest's HTTP API, {@code http://127.0.0.1:<port>} (events go to
	 * {@code /v1/events}).
	 */
	public String ingestHttpUrl() {
		return "http://127.0.0.1:" + this.cluster.ingestHttpPort();
	}

	/**
	 * The orchestrator's FetchTasks endpoint, {@code 127.0.0.1:<port>}: what a worker of
	 * the test's own sets as {@code gateway.worker.orchestrators} (see
	 * {@link #workerProperties()}).
	 */
	public String orchestratorGrpcTarget() {
		return "127.0.0.1:" + grpcPort(this.cluster.orchestrator());
	}

	/** The Kafka broker the gateway uses. */
	public String kafkaBootstrapServers() {
		return KafkaTestBroker.bootstrapServers();
	}

	/** The prefix of this gateway's topics ({@code <prefix>.p30}, ...) and groups. */
	public String topicPrefix() {
		return this.prefix;
	}

	/**
	 * The API key ingest requires (header or gRPC metadata {@code x-api-key}), or
	 * {@code null} when ingest is open.
	 */
	public @Nullable String apiKey() {
		return this.options.apiKey();
	}

	/** The company events speak for when sent with {@link #apiKey()}. */
	public String companyId() {
		return this.options.companyId();
	}

	/** The user name every role's management endpoints take (HTTP Basic). */
	public String managementUsername() {
		return this.cluster.management().username();
	}

	/** The password every role's management endpoints take, made up for this run. */
	public String managementPassword() {
		return this.cluster.management().password();
	}

	/**
	 * The Spring properties a worker of the test's own (a starter-based application, say)
	 * needs to serve this gateway: orchestrator, broker, topic layout and management
	 * credentials. Hand them to {@code @DynamicPropertySource} or to the application's
	 * arguments.
	 */
	public Map<String, String> workerProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("gateway.worker.orchestrators", orchestratorGrpcTarget());
		properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
		properties.put("gateway.topics.prefix", this.prefix);
		properties.put("gateway.topics.partitions", String.valueOf(this.options.partitions()));
		properties.put("gateway.management.username", managementUsername());
		properties.put("gateway.management.password", managementPassword());
		return properties;
	}

	/**
	 * Waits until the kit's worker has processed (ACKed) every one of these events.
	 * @throws IllegalStateException when the kit runs no worker (use
	 * {@link #awaitAllProcessed})
	 * @throws AssertionError naming the missing events when the time runs out
	 */
	public void awaitProcessed(Collection<String> eventIds, Duration timeout) {
		if (this.recorder == null) {
			throw new IllegalStateException("this gateway runs no worker of the kit's own (options without worker):"
					+ " awaitProcessed sees only the kit's worker; use awaitAllProcessed");
		}
		Set<String> processed = this.recorder.processedIds();
		try {
			await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> processed.containsAll(eventIds));
		}
		catch (ConditionTimeoutException ex) {
			List<String> missing = eventIds.stream().filter((id) -> !processed.contains(id)).limit(20).toList();
			throw new AssertionError("within " + timeout + ", the worker did not process " + missing.size()
					+ " or more of " + eventIds.size() + " events, for example " + missing, ex);
		}
	}

	/**
	 * The ids of every event the kit's worker has processed (ACKed) so far; empty when
	 * the kit runs no worker.
	 */
	public Set<String> processedEventIds() {
		return (this.recorder != null) ? Set.copyOf(this.recorder.processedIds()) : Set.of();
	}

	/**
	 * Waits until every event accepted so far has been answered for good, by whichever
	 * worker: the orchestrator has committed every source partition (priority, offload
	 * and retry topics) to its end and holds nothing in its buffer or under lease. An
	 * event moved to the dead-letter topic counts as answered. An event ingest accepted
	 * while the publisher could not reach its priority topic (kept in the failed-writes
	 * topic or the spool) is not waited for until it is republished.
	 * @throws AssertionError saying what is still owed when the time runs out
	 */
	public void awaitAllProcessed(Duration timeout) {
		AtomicReference<Backlog> last = new AtomicReference<>();
		try {
			await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
				Backlog backlog = Backlog.read(this.cluster.orchestrator(), this.admin);
				last.set(backlog);
				return backlog.isEmpty();
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"within " + timeout + ", the accepted events were not all processed: " + last.get(), ex);
		}
	}

	/**
	 * The roles' application contexts, for tests that look inside: {@code publisher},
	 * {@code orchestrator}, {@code ingest} and, when the kit runs one, {@code worker}.
	 */
	public Map<String, ConfigurableApplicationContext> roles() {
		Map<String, ConfigurableApplicationContext> roles = new LinkedHashMap<>();
		roles.put("publisher", this.cluster.publisher());
		roles.put("orchestrator", this.cluster.orchestrator());
		roles.put("ingest", this.cluster.ingest());
		if (this.cluster.worker() != null) {
			roles.put("worker", this.cluster.worker());
		}
		return roles;
	}

	/**
	 * A producer client for this gateway's ingest, with its {@link #apiKey()}; built on
	 * first use and closed with the gateway. Events it sends speak for
	 * {@link #companyId()} when keys are on.
	 */
	public synchronized GatewayClient client() {
		if (this.client == null) {
			GatewayClient.Builder builder = GatewayClient.builder().target(ingestGrpcTarget()).usePlaintext();
			if (apiKey() != null) {
				builder.apiKey(apiKey());
			}
			this.client = builder.build();
		}
		return this.client;
	}

	/** Stops every role (ingest first) and deletes the gateway's spool folder. */
	@Override
	public void close() {
		try {
			closeClient();
			this.cluster.close();
		}
		finally {
			this.admin.close(Duration.ofSeconds(5));
			deleteRecursively(this.spool);
		}
	}

	private synchronized void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Override
	public String toString() {
		return "TestGateway[prefix=" + this.prefix + ", ingest=" + ingestGrpcTarget() + ", orchestrator="
				+ orchestratorGrpcTarget() + "]";
	}

	private static List<String> roleArgs(GatewayOptions options, String prefix, Path spool) {
		List<String> args = new ArrayList<>();
		args.add("--gateway.topics.prefix=" + prefix);
		args.add("--gateway.topics.partitions=" + options.partitions());
		args.add("--gateway.orchestrator.consumer-group=" + prefix);
		// Each gateway spools into a folder of its own, not the working directory.
		args.add("--gateway.publisher.spool.directory=" + spool);
		if (options.apiKey() != null) {
			// Brackets keep the key as written (Spring would drop characters otherwise).
			args.add("--gateway.ingest.api-keys[" + options.apiKey() + "]=" + options.companyId());
		}
		options.properties().forEach((property) -> args.add("--" + property));
		return args;
	}

	private static int grpcPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
	}

	private static Path createSpool(String prefix) {
		try {
			return Files.createTempDirectory(prefix + "-spool");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the gateway's spool folder", ex);
		}
	}

	private static void deleteRecursively(Path folder) {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// A leftover temporary folder is not worth failing a test run for.
		}
	}

}
