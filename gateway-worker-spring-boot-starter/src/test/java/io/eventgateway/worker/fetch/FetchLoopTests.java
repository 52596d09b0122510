package io.eventgateway.worker.fetch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopState;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.RecordPosition;
import io.eventgateway.proto.v1.Task;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskOutcome.Verdict;
import io.eventgateway.proto.v1.TaskResponse;
import io.eventgateway.worker.fleet.OrchestratorFleet;
import io.eventgateway.worker.fleet.ReplicaRotation;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link FetchLoop} against a fake orchestrator on the in-process gRPC transport, with a
 * mocked Kafka template capturing the answers.
 */
class FetchLoopTests {

	private static final Duration LONG_LEASE = Duration.ofSeconds(30);

	/** Longer than any test waits: only the tests of the hold run into it. */
	private static final Duration LONG_HOLD = Duration.ofSeconds(20);

	/**
	 * Longer than any batch of these tests takes, so the batch after the one in hand is
	 * fetched at once; only the tests of the timing use another lead.
	 */
	private static final Duration AT_ONCE = Duration.ofMinutes(10);

	private final Map<String, TaskResponse> answers = new ConcurrentHashMap<>();

	private final AtomicInteger sends = new AtomicInteger();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final WorkerStats stats = new WorkerStats(this.registry);

	private final LoopMonitor monitor = LoopMonitor.standalone(Clock.systemUTC());

	@SuppressWarnings("unchecked")
	private final KafkaTemplate<String, byte[]> kafkaTemplate = mock(KafkaTemplate.class);

	private FakeOrchestrator orchestrator;

	private LeaseRenewer renewer;

	private PrefetchReleases releases;

	private LoopHeartbeat heartbeat;

	private FetchLoop loop;

	private Thread thread;

	@BeforeEach
	void startOrchestrator() throws Exception {
		this.orchestrator = new FakeOrchestrator();
		given(this.kafkaTemplate.send(any(ProducerRecord.class)))
			.willAnswer((invocation) -> record(invocation.getArgument(0)));
	}

	@AfterEach
	void stopEverything() throws Exception {
		if (this.loop != null) {
			this.loop.stop();
			this.thread.join(10_000);
		}
		if (this.renewer != null) {
			this.renewer.close();
		}
		if (this.releases != null) {
			this.releases.close();
		}
		this.orchestrator.close();
	}

	static Stream<Arguments> failingProcessors() {
		return Stream.of(
				Arguments.of("throws an Exception", failingBatch(new IllegalStateException("database down")),
						"exception", "IllegalStateException: database down"),
				Arguments.of("throws an AssertionError", failingBatch(new AssertionError("unexpected state")), "error",
						"AssertionError: unexpected state"),
				Arguments.of("throws a StackOverflowError", failingBatch(new StackOverflowError()), "error",
						"StackOverflowError: null"),
				Arguments.of("returns too few outcomes", answering(List.of(ProcessingOutcome.ack())),
						"invalid-outcomes", "EventProcessor returned 1 outcomes for 2 events"),
				Arguments.of("returns null", answering(null), "invalid-outcomes",
						"EventProcessor returned null instead of 2 outcomes"),
				Arguments.of("returns a null outcome", answering(Arrays.asList(ProcessingOutcome.ack(), null)),
						"invalid-outcomes", "EventProcessor returned a null outcome"));
	}

	@ParameterizedTest(name = "a processor that {0}")
	@MethodSource("failingProcessors")
	void failingProcessorNacksItsWholeBatchAndTheLoopKeepsFetching(String description, EventProcessor failing,
			String kind, String reason) {
		AtomicInteger calls = new AtomicInteger();
		EventProcessor firstBatchFails = new EventProcessor() {

			@Override
			public void process(Event event) {
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				return (calls.getAndIncrement() == 0) ? failing.processBatch(events)
						: EventProcessor.super.processBatch(events);
			}

		};
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1", "e2"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e3", "e4"));
		startLoop(firstBatchFails, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(this.answers.get("lease-1").getOutcomesList()).hasSize(2).allSatisfy((outcome) -> {
			assertThat(outcome.getVerdict()).isEqualTo(Verdict.NACK);
			assertThat(outcome.getReason()).isEqualTo(reason);
		});
		assertThat(this.answers.get("lease-1").getOutcomesList()).extracting(TaskOutcome::getEventId)
			.containsExactly("e1", "e2");
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK, Verdict.ACK);
		assertThat(this.registry.counter("gateway.worker.processor.failures", "kind", kind).count()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.orchestrator.fetches() > 2);
		assertThat(this.thread.isAlive()).isTrue();
		assertThat(this.heartbeat.state()).isEqualTo(LoopState.RUNNING);
	}

	@Test
	void aHugeFailureMessageIsCutToTheReasonLimit() {
		EventProcessor processor = failingBatch(new IllegalStateException("x".repeat(100_000)));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		startLoop(processor, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(this.answers.get("lease-1").getOutcomes(0).getReason()).hasSize(FetchLoop.MAX_REASON_LENGTH)
			.startsWith("IllegalStateException: xxx");
	}

	@Test
	void answersThatCannotBeSentDoNotEndTheLoop() {
		given(this.kafkaTemplate.send(any(ProducerRecord.class))).willThrow(new KafkaException("broker down"))
			.willAnswer((invocation) -> record(invocation.getArgument(0)));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		startLoop((event) -> {
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(this.answers).doesNotContainKey("lease-1");
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
		assertThat(this.stats.unsentAnswers()).isEqualTo(1);
		assertThat(this.registry.counter("gateway.worker.answers.failed", "stage", "send").count()).isEqualTo(1);
		assertThat(this.heartbeat.failures()).isZero();
		assertThat(this.thread.isAlive()).isTrue();
	}

	@Test
	void aFailingFetchIsReportedAndRetried() {
		this.orchestrator.fail(Status.UNAVAILABLE.withDescription("restarting"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		startLoop((event) -> {
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(this.heartbeat.failures()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.heartbeat.state() == LoopState.RUNNING);
	}

	@Test
	void anUnreadableTaskIsNackedAloneAndItsNeighboursAreProcessed() {
		FetchTasksResponse batch = FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1", "e2");
		Task garbage = Task.newBuilder()
			.setPosition(RecordPosition.newBuilder().setTopic("events.p20").setOffset(7))
			.setSerializedEvent(ByteString.copyFromUtf8("not a protobuf event"))
			.build();
		this.orchestrator.serve(batch.toBuilder().addTasks(1, garbage).build());
		List<String> processed = new ArrayList<>();
		startLoop((event) -> processed.add(event.getEventId()), true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK, Verdict.NACK, Verdict.ACK);
		assertThat(this.answers.get("lease-1").getOutcomes(1).getPosition().getOffset()).isEqualTo(7);
		assertThat(processed).containsExactly("e1", "e2");
	}

	@Test
	void anEventFailingThePayloadChecksIsNackedAsUnreadableAndNeverProcessed() {
		FetchTasksResponse batch = FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1", "no-deadline", "negative",
				"unknown", "");
		FetchTasksResponse.Builder broken = batch.toBuilder();
		broken.getTasksBuilder(1).getEventBuilder().clearSloDeadline();
		broken.getTasksBuilder(2).getEventBuilder().setAttempt(-1);
		broken.getTasksBuilder(3).getEventBuilder().setPriorityLevelValue(99);
		this.orchestrator.serve(broken.build());
		List<String> processed = new ArrayList<>();
		startLoop((event) -> processed.add(event.getEventId()), true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK, Verdict.NACK, Verdict.NACK, Verdict.NACK,
				Verdict.NACK);
		assertThat(this.answers.get("lease-1").getOutcomesList().subList(1, 5)).extracting(TaskOutcome::getReason)
			.containsExactly("unreadable event: no valid SLO deadline", "unreadable event: negative attempt -1",
					"unreadable event: unknown priority: unknown priority level UNRECOGNIZED",
					"unreadable event: no event id");
		assertThat(processed).containsExactly("e1");
	}

	@Test
	void onlyFirstDeliveriesCountTowardsTheHandOffLatency() {
		FetchTasksResponse batch = FakeOrchestrator.batch("lease-1", LONG_LEASE, "first", "retried");
		Task retried = batch.getTasks(1);
		batch = batch.toBuilder()
			.setTasks(1, retried.toBuilder().setEvent(retried.getEvent().toBuilder().setAttempt(2)))
			.build();
		this.orchestrator.serve(batch);
		startLoop((event) -> {
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK, Verdict.ACK);
		assertThat(this.registry.get("gateway.worker.handoff.latency").tag("priority", "P20").timer().count())
			.isEqualTo(1);
	}

	@Test
	void aDryRunReleasesEveryTaskWithoutProcessingIt() {
		AtomicInteger processed = new AtomicInteger();
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1", "e2"));
		startLoop((event) -> processed.incrementAndGet(), false);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.RELEASE, Verdict.RELEASE);
		assertThat(this.answers.get("lease-1").getOutcomesList()).extracting(TaskOutcome::getEventId)
			.containsExactly("e1", "e2");
		assertThat(processed).hasValue(0);
		assertThat(this.registry.counter("gateway.worker.events", "priority", "P20", "outcome", "release").count())
			.isEqualTo(2);
		// Released events are handed off again elsewhere, and recorded there once.
		assertThat(this.registry.find("gateway.worker.handoff.latency").timers())
			.allSatisfy((timer) -> assertThat(timer.count()).isZero());
	}

	@Test
	void aBatchFetchedWhileStoppingIsReleased() throws Exception {
		AtomicInteger processed = new AtomicInteger();
		CountDownLatch fetchInFlight = this.orchestrator.holdFetches();
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		startLoop((event) -> processed.incrementAndGet(), true);
		// The loop is told to stop while its FetchTasks call is in flight.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.orchestrator.fetches() == 1);
		this.loop.stop();
		fetchInFlight.countDown();
		this.thread.join(5_000);

		assertThat(this.thread.isAlive()).isFalse();
		assertThat(processed).hasValue(0);
		assertThat(verdicts("lease-1")).containsExactly(Verdict.RELEASE);
	}

	@Test
	void theLeaseOfASlowBatchIsRenewedUntilItIsAnswered() {
		Duration lease = Duration.ofMillis(1200);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", lease, "e1"));
		startLoop((event) -> {
			// Slower than the lease: holds the batch until it was renewed three times.
			await().atMost(Duration.ofSeconds(10)).until(() -> this.orchestrator.renewals().size() >= 3);
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		int renewalsWhenAnswered = this.orchestrator.renewals().size();
		assertThat(renewalsWhenAnswered).isGreaterThanOrEqualTo(3);
		assertThat(this.orchestrator.renewals()).allSatisfy((renewal) -> {
			assertThat(renewal.getLeaseId()).isEqualTo("lease-1");
			// Extended by the lease's length as the worker received it.
			assertThat(renewal.getExtension().getSeconds() * 1000 + renewal.getExtension().getNanos() / 1_000_000)
				.isBetween(900L, 1200L);
		});
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		// Answered: at most a renewal already in flight arrives, none for several
		// periods.
		await().during(Duration.ofMillis(1200))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.orchestrator.renewals().size() <= renewalsWhenAnswered + 1);
		await().atMost(Duration.ofSeconds(2)).until(() -> this.stats.renewals() == this.orchestrator.renewals().size());
	}

	@Test
	void renewalStopsAtTheProcessingTimeCap() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", Duration.ofMillis(300), "e1"));
		startLoop((event) -> release.await(10, TimeUnit.SECONDS), true, Duration.ofMillis(700));

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.counter("gateway.worker.processing.overtime").count() == 1);
		int renewals = this.orchestrator.renewals().size();
		assertThat(renewals).isBetween(1, 7);
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.orchestrator.renewals().size() == renewals);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-1"));
	}

	@Test
	void aLeaseTheOrchestratorEndedIsNoLongerRenewed() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.orchestrator.failRenewals(Status.NOT_FOUND.withDescription("lease ended"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", Duration.ofMillis(300), "e1"));
		startLoop((event) -> release.await(10, TimeUnit.SECONDS), true);

		// NOT_FOUND before the lease's known end may come from a replica that did not
		// issue it: renewing goes on until the lease has run out, then stops for good.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.counter("gateway.worker.lease.renewals", "outcome", "lease-ended").count() == 1);
		int renewals = this.orchestrator.renewals().size();
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.orchestrator.renewals().size() == renewals);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(this.heartbeat.failures()).isZero();
	}

	@Test
	void failingRenewalsAreCountedAndRetried() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.orchestrator.failRenewals(Status.UNAVAILABLE.withDescription("restarting"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", Duration.ofMillis(300), "e1"));
		startLoop((event) -> release.await(10, TimeUnit.SECONDS), true);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.counter("gateway.worker.lease.renewals", "outcome", "failed").count() >= 2);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
	}

	@Test
	void theNextBatchIsFetchedWhileTheCurrentOneIsProcessed() {
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		List<String> processed = new CopyOnWriteArrayList<>();
		startLoop((event) -> {
			if (event.getEventId().equals("e1")) {
				// Only returns once the loop fetched again while e1 is in hand.
				await().atMost(Duration.ofSeconds(5)).until(() -> this.orchestrator.fetches() >= 2);
			}
			processed.add(event.getEventId());
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
		assertThat(processed).containsExactly("e1", "e2");
	}

	@Test
	void theNextBatchIsFetchedALeadBeforeTheOneInHandIsExpectedToEnd() {
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-3", LONG_LEASE, "e3"));
		AtomicLong e1Started = new AtomicLong();
		AtomicLong e2Started = new AtomicLong();
		AtomicLong e2Ended = new AtomicLong();
		startLoop(this.orchestrator.fleet(), (event) -> {
			if (event.getEventId().equals("e1")) {
				// The processor's time per event: 3 s. Without an estimate before it,
				// lease-2 is fetched at once.
				e1Started.set(System.nanoTime());
				work(Duration.ofSeconds(3));
			}
			else if (event.getEventId().equals("e2")) {
				// Expected to take 3 s: lease-3 is due 2 s after e2 was taken.
				e2Started.set(System.nanoTime());
				work(Duration.ofSeconds(3));
				e2Ended.set(System.nanoTime());
			}
		}, true, Duration.ofMinutes(10), 1, LONG_HOLD, Duration.ofSeconds(1));

		await().atMost(Duration.ofSeconds(30)).until(() -> this.answers.containsKey("lease-3"));
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
		assertThat(verdicts("lease-3")).containsExactly(Verdict.ACK);
		// Lease-2 at once, while e1 was processed.
		assertThat(this.orchestrator.fetchTime(2)).isLessThan(e1Started.get() + Duration.ofSeconds(2).toNanos());
		// Lease-3 neither at once nor at the end, but about the lead before it.
		assertThat(Duration.ofNanos(this.orchestrator.fetchTime(3) - e2Started.get()))
			.isGreaterThan(Duration.ofMillis(1500));
		assertThat(this.orchestrator.fetchTime(3)).isLessThan(e2Ended.get());
	}

	@Test
	void aBatchInHandThatEndsBeforeItsSuccessorIsDueDoesNotWaitForIt() {
		String[] twenty = IntStream.rangeClosed(1, 20).mapToObj((i) -> "e2-" + i).toArray(String[]::new);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, twenty));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-3", LONG_LEASE, "e3"));
		AtomicLong e2Started = new AtomicLong();
		startLoop(this.orchestrator.fleet(), (event) -> {
			if (event.getEventId().equals("e1")) {
				// 3 s per event, and 3 s the slowest batch: lease-2's 20 events are
				// expected to take 3 s, so lease-3 would be due 2.9 s after lease-2 was
				// taken; they take no time at all.
				work(Duration.ofSeconds(3));
			}
			else if (event.getEventId().equals("e2-1")) {
				e2Started.set(System.nanoTime());
			}
		}, true, Duration.ofMinutes(10), 1, LONG_HOLD, Duration.ofMillis(100));

		await().atMost(Duration.ofSeconds(15)).until(() -> this.answers.containsKey("lease-3"));
		assertThat(verdicts("lease-3")).containsExactly(Verdict.ACK);
		// Fetched by the loop once lease-2 was done, not when the timer was due.
		assertThat(Duration.ofNanos(this.orchestrator.fetchTime(3) - e2Started.get()))
			.isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void withoutPrefetchTheNextBatchIsFetchedOnlyOnceTheCurrentOneIsAnswered() {
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		startLoop((event) -> {
			// ACKed only if no call goes out while the batch is in hand, for long enough
			// that a call started ahead would have reached the orchestrator.
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> this.orchestrator.fetches() == 1);
		}, true, Duration.ofMinutes(10), 0);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
	}

	@Test
	void theLeaseOfABatchFetchedAheadIsRenewedWhileItWaits() {
		Duration shortLease = Duration.ofMillis(600);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", shortLease, "e2"));
		startLoop((event) -> {
			if (event.getEventId().equals("e1")) {
				// Holds e1 for several lengths of lease-2's lease.
				await().atMost(Duration.ofSeconds(10)).until(() -> renewalsOf("lease-2") >= 3);
			}
		}, true);

		await().atMost(Duration.ofSeconds(15)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
		assertThat(this.registry.counter("gateway.worker.prefetch.lapsed").count()).isZero();
	}

	@Test
	void aBatchFetchedAheadWhoseLeaseEndedIsReleasedUnprocessed() {
		this.orchestrator.failRenewals(Status.NOT_FOUND.withDescription("lease ended"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", Duration.ofMillis(300), "e2"));
		List<String> processed = new CopyOnWriteArrayList<>();
		startLoop((event) -> {
			if (event.getEventId().equals("e1")) {
				// Holds e1 until the orchestrator has said that lease-2 ended.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> this.registry.counter("gateway.worker.lease.renewals", "outcome", "lease-ended")
						.count() == 1);
			}
			processed.add(event.getEventId());
		}, true);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		assertThat(processed).containsExactly("e1");
		assertThat(this.registry.counter("gateway.worker.prefetch.lapsed").count()).isEqualTo(1);
	}

	@Test
	void stoppingProcessesTheBatchInHandAndReleasesTheOnesFetchedAhead() throws Exception {
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		List<String> processed = new CopyOnWriteArrayList<>();
		startLoop((event) -> {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.orchestrator.fetches() >= 2);
			this.loop.stop();
			processed.add(event.getEventId());
		}, true);

		this.thread.join(10_000);
		assertThat(this.thread.isAlive()).isFalse();
		assertThat(processed).containsExactly("e1");
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		// Nothing was left leased: no further call was made.
		assertThat(this.orchestrator.fetches()).isEqualTo(2);
	}

	@Test
	void aBatchFetchedAheadIsRenewedPastTheProcessingCapWhileItMayWait() {
		CountDownLatch release = new CountDownLatch(1);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", Duration.ofMillis(300), "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", Duration.ofMillis(1500), "e2"));
		startLoop((event) -> {
			if (event.getEventId().equals("e1")) {
				release.await(10, TimeUnit.SECONDS);
			}
			else {
				// Returns only once lease-2 is renewed again during its processing.
				int before = renewalsOf("lease-2");
				await().atMost(Duration.ofSeconds(5)).until(() -> renewalsOf("lease-2") > before);
			}
		}, true, Duration.ofMillis(1200), 1);

		// lease-1's processing runs past the cap; lease-2's wait is bounded by the
		// prefetch hold, not by the cap, so it is still renewed.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.counter("gateway.worker.processing.overtime").count() == 1);
		int renewedAfterTheCap = renewalsOf("lease-2");
		await().atMost(Duration.ofSeconds(5)).until(() -> renewalsOf("lease-2") > renewedAfterTheCap);
		release.countDown();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
	}

	@Test
	void aBatchFetchedAheadIsReleasedOnceItWaitedForThePrefetchHold() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", Duration.ofMillis(300), "e2"));
		List<String> processed = new CopyOnWriteArrayList<>();
		startLoop(this.orchestrator.fleet(), (event) -> {
			processed.add(event.getEventId());
			if (event.getEventId().equals("e1")) {
				// A batch in hand that hangs.
				finish.await(10, TimeUnit.SECONDS);
			}
		}, true, Duration.ofMinutes(10), 1, Duration.ofMillis(800));

		// Handed back while e1 is still in hand, so that another worker takes it.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(this.answers).doesNotContainKey("lease-1");
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		assertThat(this.registry.counter("gateway.worker.prefetch.released", "reason", "waited-too-long").count())
			.isEqualTo(1);
		assertThat(this.registry.counter("gateway.worker.prefetch.lapsed").count()).isZero();
		// Renewed while it waited, never after: at most a renewal already in flight.
		int renewalsWhenReleased = renewalsOf("lease-2");
		assertThat(renewalsWhenReleased).isPositive();
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> renewalsOf("lease-2") <= renewalsWhenReleased + 1);

		finish.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(processed).containsExactly("e1");
		assertThat(this.heartbeat.failures()).isZero();
	}

	@Test
	void renewalsKeepTheirScheduleWhileTheReleaseOfABatchFetchedAheadIsBlockedOnTheProducer() throws Exception {
		CountDownLatch producerBlocked = new CountDownLatch(1);
		CountDownLatch unblockProducer = new CountDownLatch(1);
		given(this.kafkaTemplate.send(any(ProducerRecord.class))).willAnswer((invocation) -> {
			ProducerRecord<String, byte[]> answer = invocation.getArgument(0);
			if (answer.key().equals("lease-2")) {
				// An answer producer waiting for metadata or buffer space
				// (max.block.ms).
				producerBlocked.countDown();
				unblockProducer.await(10, TimeUnit.SECONDS);
			}
			return record(answer);
		});
		CountDownLatch finish = new CountDownLatch(1);
		// The batch in hand has a short lease: renewed every 200 ms.
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", Duration.ofMillis(600), "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		startLoop(this.orchestrator.fleet(), (event) -> finish.await(10, TimeUnit.SECONDS), true,
				Duration.ofMinutes(10), 1, Duration.ofMillis(300));

		// lease-2 waited out its hold, and its release is stuck in the producer.
		assertThat(producerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
		int renewedWhileBlocked = renewalsOf("lease-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> renewalsOf("lease-1") >= renewedWhileBlocked + 3);
		assertThat(this.answers).doesNotContainKey("lease-2");

		unblockProducer.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		finish.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-1"));
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(this.stats.failedRenewals()).isZero();
		assertThat(this.stats.unsentAnswers()).isZero();
	}

	@Test
	void stoppingReleasesTheBatchesWaitingAheadBeforeTheBatchInHandIsFinished() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		// A short lease, so that its first renewal shows that it arrived.
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", Duration.ofMillis(600), "e2"));
		startLoop((event) -> finish.await(10, TimeUnit.SECONDS), true);
		await().atMost(Duration.ofSeconds(5)).until(() -> renewalsOf("lease-2") >= 1);

		this.loop.stop();
		// Answered while e1 is still in hand: the application may close the producer
		// before the batch in hand is done.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(this.answers).doesNotContainKey("lease-1");
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		assertThat(this.registry.counter("gateway.worker.prefetch.released", "reason", "stopping").count())
			.isEqualTo(1);

		finish.countDown();
		this.thread.join(10_000);
		assertThat(this.thread.isAlive()).isFalse();
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
		assertThat(this.orchestrator.fetches()).isEqualTo(2);
	}

	@Test
	void aBatchFetchedAheadThatArrivesAfterTheStopIsReleasedAtOnceEvenWithRenewalsClosed() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
		this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
		CountDownLatch secondFetch = this.orchestrator.holdFetchesFrom(2);
		startLoop((event) -> finish.await(10, TimeUnit.SECONDS), true);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.orchestrator.fetches() == 2);

		// The application stops the loop and, its wait for the loop over, closes the
		// renewals; only then does the batch fetched ahead arrive.
		this.loop.stop();
		this.renewer.close();
		secondFetch.countDown();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.answers.containsKey("lease-2"));
		assertThat(this.answers).doesNotContainKey("lease-1");
		assertThat(verdicts("lease-2")).containsExactly(Verdict.RELEASE);
		assertThat(this.registry.counter("gateway.worker.prefetch.released", "reason", "stopping").count())
			.isEqualTo(1);
		finish.countDown();
		this.thread.join(10_000);
		assertThat(this.thread.isAlive()).isFalse();
		assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
	}

	@Test
	void aFetchAheadThatFailsGoesOnToAnotherReplica() throws Exception {
		try (FakeOrchestrator failing = new FakeOrchestrator()) {
			this.orchestrator.serve(FakeOrchestrator.batch("lease-1", LONG_LEASE, "e1"));
			this.orchestrator.serve(FakeOrchestrator.batch("lease-2", LONG_LEASE, "e2"));
			// The call fetched ahead, on the loop's second turn, goes to this one.
			failing.fail(Status.UNAVAILABLE.withDescription("replica going away"));
			startLoop(FakeOrchestrator.fleet(this.orchestrator, failing), (event) -> {
			}, true, Duration.ofMinutes(10), 1);

			await().atMost(Duration.ofSeconds(10)).until(() -> this.answers.containsKey("lease-2"));
			assertThat(verdicts("lease-1")).containsExactly(Verdict.ACK);
			assertThat(verdicts("lease-2")).containsExactly(Verdict.ACK);
			assertThat(failing.fetches()).isPositive();
			assertThat(
					this.registry.counter("gateway.worker.fetches", "replica", "unknown", "outcome", "failed").count())
				.isEqualTo(1);
			// Another replica answered: not a failure of the loop.
			assertThat(this.heartbeat.failures()).isZero();
			this.loop.stop();
			this.thread.join(10_000);
		}
	}

	private int renewalsOf(String leaseId) {
		return (int) this.orchestrator.renewals()
			.stream()
			.filter((renewal) -> renewal.getLeaseId().equals(leaseId))
			.count();
	}

	private void startLoop(EventProcessor processor, boolean execute) {
		startLoop(processor, execute, Duration.ofMinutes(10));
	}

	private void startLoop(EventProcessor processor, boolean execute, Duration maxProcessingTime) {
		startLoop(processor, execute, maxProcessingTime, 1);
	}

	private void startLoop(EventProcessor processor, boolean execute, Duration maxProcessingTime, int prefetch) {
		startLoop(this.orchestrator.fleet(), processor, execute, maxProcessingTime, prefetch);
	}

	private void startLoop(OrchestratorFleet fleet, EventProcessor processor, boolean execute,
			Duration maxProcessingTime, int prefetch) {
		startLoop(fleet, processor, execute, maxProcessingTime, prefetch, LONG_HOLD);
	}

	private void startLoop(OrchestratorFleet fleet, EventProcessor processor, boolean execute,
			Duration maxProcessingTime, int prefetch, Duration prefetchHold) {
		startLoop(fleet, processor, execute, maxProcessingTime, prefetch, prefetchHold, AT_ONCE);
	}

	private void startLoop(OrchestratorFleet fleet, EventProcessor processor, boolean execute,
			Duration maxProcessingTime, int prefetch, Duration prefetchHold, Duration prefetchLead) {
		this.renewer = new LeaseRenewer(this.stats, Clock.systemUTC(), maxProcessingTime);
		this.releases = new PrefetchReleases(this.stats, 4);
		ResponsePublisher responses = new ResponsePublisher(this.kafkaTemplate, "events.responses", "worker-1",
				this.stats);
		this.heartbeat = this.monitor.register("fetch-loop-0", () -> Duration.ofMinutes(1));
		this.loop = new FetchLoop(new ReplicaRotation(fleet, 0), processor, responses, this.renewer, this.releases,
				this.stats, Clock.systemUTC(), this.heartbeat, new FetchLoop.Settings("worker-1", 10,
						Duration.ofMillis(200), 0, execute, prefetch, prefetchHold, prefetchLead));
		this.thread = new Thread(this.loop, "fetch-loop-0");
		this.heartbeat.started();
		this.thread.start();
	}

	private CompletableFuture<Object> record(ProducerRecord<String, byte[]> record) throws Exception {
		this.sends.incrementAndGet();
		TaskResponse response = TaskResponse.parseFrom(record.value());
		this.answers.put(response.getLeaseId(), response);
		return CompletableFuture.completedFuture(null);
	}

	private List<Verdict> verdicts(String leaseId) {
		return this.answers.get(leaseId).getOutcomesList().stream().map(TaskOutcome::getVerdict).toList();
	}

	/** Keeps the processor busy for at least this long, as real work would. */
	private static void work(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

	private static EventProcessor failingBatch(Throwable failure) {
		return new EventProcessor() {

			@Override
			public void process(Event event) {
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				if (failure instanceof Error error) {
					throw error;
				}
				throw (RuntimeException) failure;
			}

		};
	}

	private static EventProcessor answering(List<ProcessingOutcome> outcomes) {
		return new EventProcessor() {

			@Override
			public void process(Event event) {
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				return outcomes;
			}

		};
	}

}
