package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

class FailureCaptureTests {

	private static final Event EVENT = TestEvents.event("refused", "acme", Priority.P30);

	@TempDir
	Path directory;

	@Test
	void withoutAFallbackClusterARefusedEventGoesToTheSpool() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", spool, Runnable::run);

		FailureCapture.Capture result = capture
			.capture(EVENT, EVENT.toByteArray(), "events.p30", new IOException("primary down"))
			.join();

		assertThat(result.destination()).isEqualTo(Destination.SPOOL);
		assertThat(spool.read(result.location()).intendedTopic()).isEqualTo("events.p30");
		assertThat(capture.spoolCount()).isEqualTo(1);
	}

	@Test
	void whenTheSpoolFailsTooTheEventIsReportedLost() {
		FailureCapture capture = new FailureCapture(null, "events.failed-writes", new BrokenSpool(), Runnable::run);

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
					new DirectorySpool(this.directory), chain);

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
