package io.eventgateway.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.FieldError;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own rules against a stand-in ingest on a loopback port: closing while
 * others send, where and when results complete, and an event of another company.
 */
class GatewayClientTests {

	@Test
	void everyFutureCompletesAndNoRoomLeaksWhenSendsRaceClose() throws Exception {
		try (FakeIngest ingest = new FakeIngest(FakeIngest::acceptAll)) {
			for (int round = 0; round < 20; round++) {
				GatewayClient client = ingest.client().linger(Duration.ofMillis(20)).build();
				List<CompletableFuture<SendResult>> results = new ArrayList<>();
				CountDownLatch go = new CountDownLatch(1);
				List<Thread> senders = new ArrayList<>();
				for (int s = 0; s < 4; s++) {
					List<CompletableFuture<SendResult>> own = new ArrayList<>();
					Thread sender = new Thread(() -> {
						awaitQuietly(go);
						for (int i = 0; i < 50; i++) {
							own.add(client.send(Event.ofJson("bulk.race", "shop", "{}")));
						}
						synchronized (results) {
							results.addAll(own);
						}
					});
					sender.start();
					senders.add(sender);
				}
				go.countDown();
				client.close();
				for (Thread sender : senders) {
					sender.join(TimeUnit.SECONDS.toMillis(30));
				}

				assertThat(results).hasSize(200).allSatisfy((result) -> assertThat(result).isDone());
				assertThat(client.inFlightBytes()).isZero();
				assertThat(client.outstandingEvents()).isZero();
			}
		}
	}

	@Test
	void aSendWaitingForRoomFailsAtOnceWhenTheClientCloses() throws Exception {
		// Never answers: the first event holds all the room until close fails it.
		try (FakeIngest ingest = new FakeIngest((request) -> null)) {
			GatewayClient client = ingest.client()
				.linger(Duration.ZERO)
				.maxInFlightBytes(1)
				.maxBlock(Duration.ofMinutes(1))
				.closeTimeout(Duration.ZERO)
				.build();
			CompletableFuture<SendResult> first = client.send(Event.ofJson("bulk.first", "shop", "{}"));
			AtomicReference<CompletableFuture<SendResult>> second = new AtomicReference<>();
			Thread sender = new Thread(() -> second.set(client.send(Event.ofJson("bulk.second", "shop", "{}"))));
			sender.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.TIMED_WAITING);

			client.close();
			sender.join(TimeUnit.SECONDS.toMillis(10));

			assertThat(sender.isAlive()).isFalse();
			assertThat(second.get()).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("closed");
			assertThat(first).isCompleted();
			assertThat(first.join().outcome()).isEqualTo(SendResult.Outcome.FAILED);
			assertThat(first.join().message()).contains("closed");
			assertThat(client.inFlightBytes()).isZero();
		}
	}

	@Test
	void aResultCompletesOffTheTimerThreadAfterItsRoomIsGivenBack() throws Exception {
		try (FakeIngest ingest = new FakeIngest(FakeIngest::acceptAll);
				// The deadline passes while the event lingers: the timer thread finds it
				// expired.
				GatewayClient client = ingest.client()
					.linger(Duration.ofMillis(500))
					.deadline(Duration.ofMillis(50))
					.build()) {
			CompletableFuture<SendResult> result = client.send(Event.ofJson("bulk.late", "shop", "{}"));
			CompletableFuture<String> seen = result.handle((answer, failure) -> Thread.currentThread().getName()
					+ " bytes=" + client.inFlightBytes() + " outstanding=" + client.outstandingEvents());

			assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("gateway-client-result")
				.endsWith(" bytes=0 outstanding=0");
			assertThat(result.join().outcome()).isEqualTo(SendResult.Outcome.DEADLINE_EXCEEDED);
			assertThat(ingest.calls()).isEmpty();
		}
	}

	@Test
	void resultsCompleteOnTheExecutorGivenToTheBuilder() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> new Thread(runnable, "mine"));
		try (FakeIngest ingest = new FakeIngest(FakeIngest::acceptAll);
				GatewayClient client = ingest.client().executor(executor).linger(Duration.ofMillis(500)).build()) {
			CompletableFuture<SendResult> result = client.send(Event.ofJson("bulk.mine", "shop", "{}"));
			CompletableFuture<String> thread = result.thenApply((answer) -> Thread.currentThread().getName());

			assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("mine");
			assertThat(result.join().isAccepted()).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void anEventOfAnotherCompanyFailsAloneAndTheRestOfItsBatchIsResentAtOnce() throws Exception {
		// Like ingest: the first event naming another company refuses the whole call.
		try (FakeIngest ingest = new FakeIngest((request) -> {
			List<IngestEvent> events = request.getEventsList();
			for (int i = 0; i < events.size(); i++) {
				if ("globex".equals(events.get(i).getCompanyId())) {
					throw Status.PERMISSION_DENIED
						.withDescription("events[" + i + "].company_id: does not match the company of the API key")
						.asRuntimeException();
				}
			}
			return FakeIngest.acceptAll(request);
		}); GatewayClient client = ingest.client().maxEventsPerBatch(4).linger(Duration.ofMinutes(1)).build()) {
			CompletableFuture<SendResult> ok0 = client.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("ok-0"));
			CompletableFuture<SendResult> bad1 = client
				.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("bad-1").withCompanyId("globex"));
			CompletableFuture<SendResult> ok2 = client.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("ok-2"));
			CompletableFuture<SendResult> bad3 = client
				.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("bad-3").withCompanyId("globex"));

			assertThat(ok0.get(10, TimeUnit.SECONDS).isAccepted()).isTrue();
			assertThat(ok2.get(10, TimeUnit.SECONDS).isAccepted()).isTrue();
			assertThat(ok0.join().attempts()).isEqualTo(1);
			for (CompletableFuture<SendResult> bad : List.of(bad1, bad3)) {
				assertThat(bad).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat()
					.havingCause()
					.isInstanceOf(GatewayPermissionException.class)
					.withMessageContaining("PERMISSION_DENIED")
					.withMessageContaining("company_id");
			}
			assertThat(ingest.calls()).containsExactly(List.of("ok-0", "bad-1", "ok-2", "bad-3"),
					List.of("ok-0", "ok-2", "bad-3"), List.of("ok-0", "ok-2"));
		}
	}

	@Test
	void aRetryThatReachesItsSendAfterTheDeadlineExpiresNamingItsAttemptsAndTheLastAnswer() throws Exception {
		// Ingest keeps one event of the batch out (its buffer is full) and accepts the
		// other.
		try (FakeIngest ingest = new FakeIngest((request) -> {
			IngestEventsResponse accepted = FakeIngest.acceptAll(request);
			IngestEventsResponse.Builder response = IngestEventsResponse.newBuilder();
			for (IngestResult result : accepted.getResultsList()) {
				response.addResults(!result.getEventId().equals("late") ? result
						: result.toBuilder()
							.setStatus(IngestResult.Status.REJECTED)
							.addErrors(FieldError.newBuilder().setMessage("the P10 buffer is full"))
							.build());
			}
			return response.build();
		});
				// Two events fill a batch and go at once; the retry, alone, waits for the
				// linger, which ends after the deadline.
				GatewayClient client = ingest.client()
					.maxEventsPerBatch(2)
					.linger(Duration.ofSeconds(8))
					.deadline(Duration.ofSeconds(5))
					.initialBackoff(Duration.ofMillis(10))
					.maxBackoff(Duration.ofMillis(10))
					.build()) {
			CompletableFuture<SendResult> late = client.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("late"));
			CompletableFuture<SendResult> ok = client.send(Event.ofJson("bulk.x", "shop", "{}").withEventId("ok"));

			assertThat(ok.get(10, TimeUnit.SECONDS).isAccepted()).isTrue();
			SendResult result = late.get(20, TimeUnit.SECONDS);
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.DEADLINE_EXCEEDED);
			assertThat(result.attempts()).isOne();
			assertThat(result.message()).contains(
					"passed before it could be sent again, after 1 attempts; last answer: the P10 buffer is full");
			assertThat(ingest.calls()).containsExactly(List.of("late", "ok"));
		}
	}

	@Test
	void aCallMayTakeAsLongAsTheLatestDeadlineOfItsEventsWithinTheAttemptTimeout() {
		long now = 1_000_000_000L;
		PendingEvent old = pending(now + TimeUnit.SECONDS.toNanos(2));
		PendingEvent fresh = pending(now + TimeUnit.SECONDS.toNanos(10));
		long attemptTimeout = TimeUnit.SECONDS.toNanos(75);

		assertThat(GatewayClient.callTimeoutNanos(List.of(old, fresh), now, attemptTimeout))
			.isEqualTo(TimeUnit.SECONDS.toNanos(10));
		assertThat(GatewayClient.callTimeoutNanos(List.of(old), now, attemptTimeout))
			.isEqualTo(TimeUnit.SECONDS.toNanos(2));
		assertThat(GatewayClient.callTimeoutNanos(List.of(old, pending(now + TimeUnit.MINUTES.toNanos(2))), now,
				attemptTimeout))
			.isEqualTo(attemptTimeout);
	}

	private static PendingEvent pending(long deadlineNanos) {
		return new PendingEvent(IngestEvent.getDefaultInstance(), new CompletableFuture<>(), deadlineNanos, 10, 10);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
