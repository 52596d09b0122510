package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.LaneProducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FailureCaptureTests {

	private static final Event EVENT = TestEvents.event("refused", "acme", Priority.P30);

	@TempDir
	Path directory;

	@Test
	void withoutAFallbackClusterARefusedEventGoesToTheSpool() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", spool, Runnable::run, Runnable::run,
				Duration.ofMinutes(1));

		FailureCapture.Capture result = capture
			.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
			.join();

		assertThat(result.destination()).isEqualTo(Destination.SPOOL);
		assertThat(spool.read(result.location()).intendedTopic()).isEqualTo("events.p30");
		assertThat(capture.spoolCount()).isEqualTo(1);
	}

	@Test
	void whenTheSpoolFailsTooTheEventIsReportedLost() {
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", new BrokenSpool(), Runnable::run,
				Runnable::run, Duration.ofMinutes(1));

		FailureCapture.Capture result = capture
			.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
			.join();

		assertThat(result.isStored()).isFalse();
		assertThat(result.error()).contains("no fallback cluster configured", "disk full");
		assertThat(capture.lostCount()).isEqualTo(1);
	}

	@Test
	void theFallbackSendRunsOnTheFailureChainsThreadsNotOnTheThreadThatSawTheRefusal() throws Exception {
		List<String> sentFrom = new java.util.concurrent.CopyOnWriteArrayList<>();
		MockProducer<String, byte[]> fallback = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer()) {

			@Override
			public synchronized java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
					Callback callback) {
				sentFrom.add(Thread.currentThread().getName());
				return super.send(record, callback);
			}

		};
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer(fallback, Runnable::run));
		}
		ExecutorService chain = Executors.newSingleThreadExecutor((runnable) -> new Thread(runnable, "chain-test"));
		try {
			FailureCapture capture = new FailureCapture(ClusterProducers.of("fallback", lanes), "events.failed-writes",
					new DirectorySpool(this.directory), chain, Runnable::run, Duration.ofMinutes(1));

			FailureCapture.Capture result = capture
				.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
				.join();

			assertThat(result.destination()).isEqualTo(Destination.FAILED_WRITES);
			assertThat(sentFrom).containsExactly("chain-test");
			assertThat(capture.fallbackCount()).isEqualTo(1);
		}
		finally {
			chain.shutdownNow();
		}
	}

	@Test
	void whileFallbackSendsAreStuckSpoolWritesGoOnAndAnEventTheirQueueCannotTakeGoesStraightToTheSpool()
			throws Exception {
		CountDownLatch metadataArrives = new CountDownLatch(1);
		MockProducer<String, byte[]> fallback = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer()) {

			@Override
			public synchronized java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
					Callback callback) {
				// As a real producer does for up to max.block.ms while the fallback's
				// metadata is unknown.
				awaitUninterruptibly(metadataArrives);
				return super.send(record, callback);
			}

		};
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer(fallback, Runnable::run));
		}
		ThreadPoolExecutor fallbackSends = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(1));
		ExecutorService spoolWrites = Executors.newSingleThreadExecutor();
		try {
			DirectorySpool spool = new DirectorySpool(this.directory);
			FailureCapture capture = new FailureCapture(ClusterProducers.of("fallback", lanes), "events.failed-writes",
					spool, fallbackSends, spoolWrites, Duration.ofMinutes(1));

			CompletableFuture<FailureCapture.Capture> blocked = capture.capture(event("stuck-1"),
					event("stuck-1").toByteArray(), "events.p30", new IOException("primary down"));
			await().until(() -> fallbackSends.getActiveCount() == 1);
			CompletableFuture<FailureCapture.Capture> queued = capture.capture(event("stuck-2"),
					event("stuck-2").toByteArray(), "events.p30", new IOException("primary down"));
			FailureCapture.Capture overflow = capture
				.capture(event("overflow"), event("overflow").toByteArray(), "events.p30",
						new IOException("primary down"))
				.get(10, TimeUnit.SECONDS);

			assertThat(overflow.destination()).isEqualTo(Destination.SPOOL);
			assertThat(spool.read(overflow.location()).event().getEventId()).isEqualTo("overflow");
			assertThat(capture.fallbackQueueFullCount()).isEqualTo(1);
			assertThat(blocked).isNotDone();

			metadataArrives.countDown();
			assertThat(blocked.get(10, TimeUnit.SECONDS).destination()).isEqualTo(Destination.FAILED_WRITES);
			assertThat(queued.get(10, TimeUnit.SECONDS).destination()).isEqualTo(Destination.FAILED_WRITES);
			assertThat(capture.fallbackCount()).isEqualTo(2);
			assertThat(capture.spoolCount()).isEqualTo(1);
		}
		finally {
			metadataArrives.countDown();
			fallbackSends.shutdownNow();
			spoolWrites.shutdownNow();
		}
	}

	@Test
	void anEventTheSpoolsFullQueueCannotTakeIsAnsweredAsNotStoredAndCounted() throws Exception {
		Executor full = (task) -> {
			throw new RejectedExecutionException("queue full");
		};
		DirectorySpool spool = new DirectorySpool(this.directory);
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", spool, Runnable::run, full,
				Duration.ofMinutes(1));

		FailureCapture.Capture result = capture
			.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
			.join();

		assertThat(result.isStored()).isFalse();
		assertThat(result.error()).contains("spool-write queue is full");
		assertThat(capture.spoolQueueFullCount()).isEqualTo(1);
		assertThat(capture.lostCount()).isEqualTo(1);
		assertThat(capture.spoolCount()).isZero();
	}

	@Test
	void onceItsExecutorsStoppedAnEventIsStillCapturedOnTheCallingThread() throws Exception {
		ExecutorService stopped = Executors.newSingleThreadExecutor();
		stopped.shutdown();
		DirectorySpool spool = new DirectorySpool(this.directory);
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", spool, stopped, stopped,
				Duration.ofMinutes(1));

		FailureCapture.Capture result = capture
			.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
			.join();

		assertThat(result.destination()).isEqualTo(Destination.SPOOL);
		assertThat(capture.spoolQueueFullCount()).isZero();
	}

	@Test
	void anEventThatWaitedTooLongForAFallbackSendGoesToTheSpoolInstead() throws Exception {
		MockProducer<String, byte[]> fallback = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer(fallback, Runnable::run));
		}
		List<Runnable> waiting = new java.util.ArrayList<>();
		DirectorySpool spool = new DirectorySpool(this.directory);
		FailureCapture capture = new FailureCapture(ClusterProducers.of("fallback", lanes), "events.failed-writes",
				spool, waiting::add, Runnable::run, Duration.ofMillis(1));
		long queuedAt = System.nanoTime();

		CompletableFuture<FailureCapture.Capture> result = capture.capture(EVENT, EVENT.toByteArray(), "events.p30",
				new IOException("primary down"));
		await().until(() -> System.nanoTime() - queuedAt > Duration.ofMillis(5).toNanos());
		waiting.forEach(Runnable::run);

		assertThat(result.get(10, TimeUnit.SECONDS).destination()).isEqualTo(Destination.SPOOL);
		assertThat(fallback.history()).isEmpty();
		assertThat(capture.fallbackWaitedTooLongCount()).isEqualTo(1);
	}

	private static Event event(String id) {
		return TestEvents.event(id, "acme", Priority.P30);
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A spool whose disk is full. */
	private static final class BrokenSpool implements EventSpool {

		@Override
		public String write(Event event, String intendedTopic) throws IOException {
			throw new IOException("disk full");
		}

		@Override
		public List<String> keys() {
			return List.of();
		}

		@Override
		public SpooledEvent read(String key) throws IOException {
			throw new IOException("disk full");
		}

		@Override
		public void delete(String key) {
		}

	}

}
