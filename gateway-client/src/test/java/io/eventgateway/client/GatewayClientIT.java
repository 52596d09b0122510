package io.eventgateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TopicReader;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against the real ingest and publisher roles and a real broker: results per
 * event, retries with the same id while the publisher is away, back-off bounds, the
 * deadline, a refused API key, and the batch limits seen as gRPC calls. One ingest has a
 * publisher (stopped and started again by one test); another points at a stand-in
 * publisher that answers every call UNAVAILABLE, so every valid event it gets fails.
 */
class GatewayClientIT {

	private static final String PREFIX = "client";

	private static final String KEY = "key-acme";

	private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private static Path spool;

	private static int publisherPort;

	private static ConfigurableApplicationContext publisher;

	private static int ingestPort;

	private static int ingestWithoutPublisherPort;

	/** Answers every call UNAVAILABLE: a publisher that is there but stores nothing. */
	private static Server brokenPublisher;

	@BeforeAll
	static void start() throws IOException {
		spool = Files.createTempDirectory("client-it-spool");
		// The publisher takes a free port itself (no port picked, closed and hoped for
		// free): another module's tests may run beside these.
		publisher = startPublisher(0);
		publisherPort = grpcPort(publisher);
		ingestPort = grpcPort(startIngest(publisherPort));
		brokenPublisher = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.fallbackHandlerRegistry(new UnavailableEverywhere())
			.build()
			.start();
		ingestWithoutPublisherPort = grpcPort(startIngest(brokenPublisher.getPort()));
	}

	@AfterAll
	static void stop() throws InterruptedException {
		for (int i = contexts.size() - 1; i >= 0; i--) {
			contexts.get(i).close();
		}
		if (brokenPublisher != null) {
			brokenPublisher.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void acceptedEventsLandOnTheirPriorityTopicsAndInvalidOnesAreNotRetried() throws Exception {
		CallRecorder calls = new CallRecorder();
		List<SendResult> results;
		// A linger long enough that the four events go in one call however slow the
		// machine.
		try (GatewayClient client = client(ingestPort).intercept(calls).linger(Duration.ofMillis(500)).build()) {
			results = client
				.sendAll(List.of(io.eventgateway.client.Event.ofJson("trigger.cart-abandoned", "shop", "{\"cart\":1}"),
						io.eventgateway.client.Event.ofJson("interactive.profile-updated", "crm", "{}"),
						io.eventgateway.client.Event.ofJson("bulk.catalog-synced", "erp", "{}")
							.withEventId("client-bulk-1"),
						io.eventgateway.client.Event.ofJson("bulk.catalog-synced", null, "{}")))
				.get(30, TimeUnit.SECONDS);
		}

		assertThat(results).extracting(SendResult::outcome)
			.containsExactly(SendResult.Outcome.ACCEPTED, SendResult.Outcome.ACCEPTED, SendResult.Outcome.ACCEPTED,
					SendResult.Outcome.INVALID);
		assertThat(results).extracting(SendResult::priority).containsExactly("P30", "P20", "P10", null);
		assertThat(results).extracting(SendResult::attempts).containsOnly(1);
		assertThat(results.get(2).eventId()).isEqualTo("client-bulk-1");
		assertThat(results.get(0).eventId()).isNotBlank();
		assertThat(results.get(3).field()).isEqualTo("source");
		assertThat(results.get(3).message()).contains("is required");
		assertThat(calls.calls()).hasSize(1);
		assertThat(idsOn(PREFIX + ".p30", results.get(0).eventId())).containsExactly(results.get(0).eventId());
		assertThat(idsOn(PREFIX + ".p20", results.get(1).eventId())).containsExactly(results.get(1).eventId());
		assertThat(idsOn(PREFIX + ".p10", "client-bulk-1")).containsExactly("client-bulk-1");
	}

	@Test
	void anEventIngestCouldNotStoreIsRetriedWithTheSameIdUntilThePublisherIsBack() throws Exception {
		publisher.close();
		contexts.remove(publisher);
		CallRecorder calls = new CallRecorder();
		try (GatewayClient client = client(ingestPort).intercept(calls)
			.initialBackoff(Duration.ofMillis(200))
			.maxBackoff(Duration.ofSeconds(1))
			.maxAttempts(1000)
			.deadline(Duration.ofMinutes(3))
			.build()) {
			CompletableFuture<SendResult> result = client
				.send(io.eventgateway.client.Event.ofJson("trigger.retried", "shop", "{}"));

			await().atMost(Duration.ofSeconds(20)).until(() -> calls.calls().size() >= 2);
			assertThat(result).isNotDone();
			// Back on the same port, the one ingest's channel knows. The port was free
			// only from the close above to here, a short window for another JVM's
			// listener to take it; re-pointing ingest would need it restarted.
			publisher = startPublisher(publisherPort);
			SendResult sent = result.get(3, TimeUnit.MINUTES);

			assertThat(sent.outcome()).as(sent.message()).isEqualTo(SendResult.Outcome.ACCEPTED);
			assertThat(sent.attempts()).isGreaterThanOrEqualTo(3).isEqualTo(calls.calls().size());
			assertThat(calls.calls()).allSatisfy((call) -> assertThat(call.eventIds()).containsExactly(sent.eventId()));
			// Stored at least once under the one id; no attempt that ingest answered
			// failed left a copy behind.
			assertThat(idsOn(PREFIX + ".p30", sent.eventId())).containsOnly(sent.eventId());
		}
	}

	@Test
	void retriesWaitWithinTheirJitteredBackoffBounds() throws Exception {
		long seed = 18;
		CallRecorder calls = new CallRecorder();
		Random random = new Random(seed);
		SendResult result;
		try (GatewayClient client = client(ingestWithoutPublisherPort).intercept(calls)
			.initialBackoff(Duration.ofMillis(300))
			.backoffMultiplier(2)
			.maxBackoff(Duration.ofMillis(900))
			.maxAttempts(4)
			.jitter(random::nextDouble)
			.build()) {
			result = client.send(io.eventgateway.client.Event.ofJson("trigger.backoff", "shop", "{}"))
				.get(30, TimeUnit.SECONDS);
		}

		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
		assertThat(result.attempts()).isEqualTo(4);
		assertThat(result.message()).contains("maxAttempts", "UNAVAILABLE");
		List<CallRecorder.Call> sent = calls.calls();
		assertThat(sent).hasSize(4);
		// The same seed gives the waits the client drew: each is uniform in [0, cap]
		// with caps 300, 600, 900 ms. The gap between two calls is that wait plus the
		// failed call's own time (a fast refusal on loopback), never less.
		Random replay = new Random(seed);
		long[] caps = { 300, 600, 900 };
		for (int retry = 1; retry <= 3; retry++) {
			long waitMillis = (long) (replay.nextDouble() * caps[retry - 1]);
			long gapMillis = TimeUnit.NANOSECONDS
				.toMillis(sent.get(retry).sentNanos() - sent.get(retry - 1).sentNanos());
			assertThat(waitMillis).isBetween(0L, caps[retry - 1]);
			assertThat(gapMillis).as("gap before retry %d", retry).isBetween(waitMillis, waitMillis + 5_000);
		}
	}

	@Test
	void anEventWhoseDeadlinePassesCompletesWithDeadlineExceeded() throws Exception {
		Duration deadline = Duration.ofSeconds(2);
		Duration maxBackoff = Duration.ofMillis(300);
		try (GatewayClient client = client(ingestWithoutPublisherPort).initialBackoff(Duration.ofMillis(100))
			.maxBackoff(maxBackoff)
			.maxAttempts(1000)
			.deadline(deadline)
			.build()) {
			long start = System.nanoTime();
			SendResult result = client.send(io.eventgateway.client.Event.ofJson("trigger.late", "shop", "{}"))
				.get(30, TimeUnit.SECONDS);
			long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.DEADLINE_EXCEEDED);
			assertThat(result.attempts()).isGreaterThan(1);
			assertThat(result.message()).contains("deadline");
			// The last attempt has only what is left of the deadline: ingest's
			// UNAVAILABLE
			// (no publisher) or that attempt's own deadline, whichever comes first.
			assertThat(result.message()).containsAnyOf("UNAVAILABLE", "DEADLINE_EXCEEDED");
			// It gives up once the next attempt could not start in time: no earlier than
			// one back-off before the deadline, and not long after it.
			assertThat(elapsedMillis).isBetween(deadline.minus(maxBackoff).toMillis(),
					deadline.plusSeconds(3).toMillis());
		}
	}

	@Test
	void aRefusedApiKeyFailsEveryEventWithAClearException() {
		try (GatewayClient client = client(ingestPort).apiKey("stolen").build()) {
			CompletableFuture<List<SendResult>> results = client
				.sendAll(List.of(io.eventgateway.client.Event.ofJson("trigger.x", "shop", "{}"),
						io.eventgateway.client.Event.ofJson("bulk.x", "shop", "{}")));
			assertThat(results).failsWithin(Duration.ofSeconds(20))
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(GatewayAuthenticationException.class)
				.withMessageContaining("ingest refused the API key (UNAUTHENTICATED)");
		}
	}

	@Test
	void anEventOfAnotherCompanyFailsAloneWithAPermissionException() throws Exception {
		CallRecorder calls = new CallRecorder();
		// One linger for both: ingest refuses their one call whole, the client only the
		// event at fault.
		try (GatewayClient client = client(ingestPort).intercept(calls).linger(Duration.ofMillis(500)).build()) {
			CompletableFuture<SendResult> foreign = client
				.send(io.eventgateway.client.Event.ofJson("trigger.x", "shop", "{}").withCompanyId("globex"));
			CompletableFuture<SendResult> own = client
				.send(io.eventgateway.client.Event.ofJson("trigger.x", "shop", "{}").withEventId("client-own-1"));
			assertThat(foreign).failsWithin(Duration.ofSeconds(20))
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(GatewayPermissionException.class)
				.withMessageContaining("PERMISSION_DENIED");
			SendResult stored = own.get(20, TimeUnit.SECONDS);
			assertThat(stored.outcome()).as(stored.message()).isEqualTo(SendResult.Outcome.ACCEPTED);
			assertThat(stored.attempts()).isEqualTo(1);
		}
		assertThat(calls.calls()).extracting(CallRecorder.Call::eventIds)
			.endsWith(List.of("client-own-1"))
			.anySatisfy((ids) -> assertThat(ids).hasSize(2).contains("client-own-1"));
		assertThat(idsOn(PREFIX + ".p30", "client-own-1")).containsExactly("client-own-1");
	}

	@Test
	void aBatchClosesAtItsEventCount() throws Exception {
		CallRecorder calls = new CallRecorder();
		try (GatewayClient client = client(ingestPort).intercept(calls)
			.maxEventsPerBatch(10)
			.linger(Duration.ofMinutes(1))
			.build()) {
			List<SendResult> results = client.sendAll(events("count", 30, 10)).get(30, TimeUnit.SECONDS);
			assertThat(results).allMatch(SendResult::isAccepted);
		}
		assertThat(calls.calls()).extracting((call) -> call.eventIds().size()).containsExactly(10, 10, 10);
	}

	@Test
	void aBatchClosesBeforeItsByteLimitAndTheLastOneAfterTheLingerTime() throws Exception {
		CallRecorder calls = new CallRecorder();
		Duration linger = Duration.ofSeconds(1);
		long start;
		try (GatewayClient client = client(ingestPort).intercept(calls)
			.maxBytesPerBatch(2_500)
			.linger(linger)
			.build()) {
			// About 1,050 bytes each on the wire: two fit under 2,500 bytes, three do
			// not.
			start = System.nanoTime();
			List<SendResult> results = client.sendAll(events("bytes", 5, 1_000)).get(30, TimeUnit.SECONDS);
			assertThat(results).allMatch(SendResult::isAccepted);
		}
		List<CallRecorder.Call> sent = calls.calls();
		assertThat(sent).extracting((call) -> call.eventIds().size()).containsExactly(2, 2, 1);
		assertThat(TimeUnit.NANOSECONDS.toMillis(sent.get(2).sentNanos() - start))
			.isGreaterThanOrEqualTo(linger.toMillis());
	}

	private static List<io.eventgateway.client.Event> events(String prefix, int count, int payloadBytes) {
		List<io.eventgateway.client.Event> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			events.add(io.eventgateway.client.Event
				.ofJson("bulk." + prefix, "shop", "{\"x\":\"" + "y".repeat(payloadBytes - 8) + "\"}")
				.withEventId(prefix + "-" + i));
		}
		return events;
	}

	private static GatewayClient.Builder client(int port) {
		return GatewayClient.builder().target("127.0.0.1:" + port).usePlaintext().apiKey(KEY);
	}

	/** The ids of the events on a topic, once the wanted one arrived. */
	private static List<String> idsOn(String topic, String wanted) {
		List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(topic,
				(read) -> read.stream().anyMatch((record) -> wanted.equals(eventId(record))), Duration.ofSeconds(30));
		return records.stream().map(GatewayClientIT::eventId).filter(wanted::equals).toList();
	}

	private static String eventId(ConsumerRecord<String, byte[]> record) {
		try {
			return Event.parseFrom(record.value()).getEventId();
		}
		catch (InvalidProtocolBufferException ex) {
			return null;
		}
	}

	private static ConfigurableApplicationContext startPublisher(int port) {
		return run(PublisherApplication.class, PublisherApplication.ROLE, port,
				"--gateway.publisher.spool.directory=" + spool);
	}

	private static ConfigurableApplicationContext startIngest(int publisherPort) {
		return run(IngestApplication.class, IngestApplication.ROLE, 0,
				"--spring.grpc.client.channels.publisher.address=static://127.0.0.1:" + publisherPort,
				"--gateway.ingest.api-keys." + KEY + "=acme", "--gateway.ingest.flow-control.enabled=false");
	}

	private static ConfigurableApplicationContext run(Class<?> application, String role, int grpcPort,
			String... extraArgs) {
		List<String> args = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
				// No config server answers on port 1: each role runs on its own defaults.
				"--spring.config.import=optional:configserver:http://127.0.0.1:1", "--spring.cloud.bus.enabled=false",
				"--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--spring.grpc.server.port=" + grpcPort,
				"--spring.grpc.server.host=127.0.0.1", "--spring.main.banner-mode=off",
				"--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=1"));
		args.addAll(List.of(extraArgs));
		ConfigurableApplicationContext context = GatewayApplications.builder(application, role)
			.main(application)
			.run(args.toArray(String[]::new));
		contexts.add(context);
		return context;
	}

	private static int grpcPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
	}

	/** Answers any method of any service UNAVAILABLE, before reading its request. */
	private static final class UnavailableEverywhere extends HandlerRegistry {

		private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {

			@Override
			public InputStream stream(InputStream value) {
				return value;
			}

			@Override
			public InputStream parse(InputStream stream) {
				return stream;
			}

		};

		@Override
		public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
			MethodDescriptor<InputStream, InputStream> method = MethodDescriptor.<InputStream, InputStream>newBuilder()
				.setType(MethodDescriptor.MethodType.UNKNOWN)
				.setFullMethodName(methodName)
				.setRequestMarshaller(RAW)
				.setResponseMarshaller(RAW)
				.build();
			return ServerMethodDefinition.create(method, (call, headers) -> {
				call.close(Status.UNAVAILABLE.withDescription("this publisher stores nothing"), new Metadata());
				return new ServerCall.Listener<>() {
				};
			});
		}

	}

}
