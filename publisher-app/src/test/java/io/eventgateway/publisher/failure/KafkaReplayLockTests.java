package io.eventgateway.publisher.failure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.StoppableLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaReplayLockTests {

	private static final String TOPIC = "events.spool-replay-lock";

	private final LoopHeartbeat heartbeat = LoopMonitor.standalone(Clock.systemUTC())
		.register("spool-replay-lock", () -> Duration.ofMinutes(1));

	@Test
	void aMissingLockTopicIsAFailureOfTheLoopNamingTheTopic() throws Exception {
		MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
		KafkaReplayLock lock = new KafkaReplayLock(TOPIC, () -> consumer);

		runUntil(lock, () -> this.heartbeat.failures() > 0);

		assertThat(lock.isHeld()).isFalse();
		// Health shows the failure's type, never its message (which names the topic in
		// the
		// log).
		assertThat(this.heartbeat.lastError()).isEqualTo("IllegalStateException");
	}

	@Test
	void aLockTopicThatExistsIsNoFailureWhileAnotherInstanceHoldsIt() throws Exception {
		MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
		Node node = new Node(0, "127.0.0.1", 9092);
		consumer.updatePartitions(TOPIC,
				List.of(new PartitionInfo(TOPIC, 0, node, new Node[] { node }, new Node[] { node })));
		KafkaReplayLock lock = new KafkaReplayLock(TOPIC, () -> consumer);
		int[] polls = new int[1];
		consumer.schedulePollTask(() -> polls[0]++);

		runUntil(lock, () -> polls[0] > 0 && this.heartbeat.sinceProgress().compareTo(Duration.ofSeconds(1)) < 0);

		assertThat(lock.isHeld()).isFalse();
		assertThat(this.heartbeat.failures()).isZero();
	}

	private void runUntil(KafkaReplayLock lock, java.util.function.BooleanSupplier condition) throws Exception {
		StoppableLoop membership = lock.membership(this.heartbeat);
		this.heartbeat.started();
		Thread thread = new Thread(membership, "spool-replay-lock");
		thread.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
		}
		finally {
			membership.stop();
			thread.join(10_000);
		}
	}

}
