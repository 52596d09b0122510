package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.common.test.TopicReader;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two publishers' replayers over one spool they share (one directory, as a volume every
 * instance mounts; an S3 prefix behaves the same), each with its own replay lock in one
 * consumer group of the real broker, as two processes would have.
 */
class SharedSpoolReplayIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final AtomicInteger RUN = new AtomicInteger();

	@TempDir
	Path directory;

	private final String name = "shared-spool-it-" + System.nanoTime() + "-" + RUN.incrementAndGet();

	private final String lockTopic = this.name + ".spool-replay-lock";

	private final String group = this.name + "-spool-replay";

	private final String eventTopic = this.name + ".p30";

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void twoReplayersOverOneSharedSpoolPublishEachEntryOnceAndTogetherDrainIt() throws Exception {
		createTopics();
		int entries = 300;
		DirectorySpool writer = new DirectorySpool(this.directory);
		for (int i = 0; i < entries; i++) {
			writer.write(TestEvents.event("shared-" + i, "acme", Priority.P30), this.eventTopic);
		}
		// The first instance's deletes stop at its 100th entry, after the entry's write
		// was acknowledged, until the test lets it go on: the lock is taken from it just
		// then.
		GatedSpool spoolA = new GatedSpool(new DirectorySpool(this.directory), 100);
		KafkaReplayLock lockA = lock();
		LoopThreads membershipA = membership(lockA, "a");
		membershipA.start();
		await().atMost(WAIT).until(lockA::isHeld);
		KafkaReplayLock lockB = lock();
		LoopThreads membershipB = membership(lockB, "b");
		membershipB.start();
		await().atMost(WAIT).until(() -> groupMembers() == 2);
		assertThat(lockA.isHeld()).isTrue();
		assertThat(lockB.isHeld()).isFalse();

		SpoolReplayer replayerA = replayer(spoolA, lockA);
		SpoolReplayer replayerB = replayer(new DirectorySpool(this.directory), lockB);
		replayTask(replayerA).start();
		replayTask(replayerB).start();
		assertThat(spoolA.reachedGate.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> stoppingA = CompletableFuture.runAsync(membershipA::stop);
		await().atMost(WAIT).until(() -> !lockA.isHeld());
		// The entry in flight holds the lock back from the group: nobody else may start
		// on it between its write and its delete.
		assertThat(lockB.isHeld()).isFalse();
		spoolA.gate.countDown();

		await().atMost(WAIT).until(lockB::isHeld);
		await().atMost(WAIT).until(() -> writer.keys().isEmpty());
		stoppingA.get(WAIT.toSeconds(), TimeUnit.SECONDS);

		assertThat(replayerA.replayedCount()).isEqualTo(100);
		assertThat(replayerB.replayedCount()).isEqualTo(entries - 100);
		// Every acknowledged write is one record: the topic's end offset counts them all.
		assertThat(endOffset()).isEqualTo(entries);
		List<ConsumerRecord<String, byte[]>> records = TopicReader.read(this.eventTopic, entries, WAIT);
		Set<String> ids = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			ids.add(Event.parseFrom(record.value()).getEventId());
		}
		assertThat(records).hasSize(entries);
		assertThat(ids).hasSize(entries);
	}

	@Test
	void theLockMovesWhenItsHolderStopsAndOnlyOneInstanceHoldsItAtATime() throws Exception {
		createTopics();
		KafkaReplayLock first = lock();
		LoopThreads firstMembership = membership(first, "first");
		firstMembership.start();
		await().atMost(WAIT).until(first::isHeld);
		KafkaReplayLock second = lock();
		membership(second, "second").start();
		await().atMost(WAIT).until(() -> groupMembers() == 2);
		assertThat(second.isHeld()).isFalse();

		firstMembership.stop();

		assertThat(first.isHeld()).isFalse();
		await().atMost(WAIT).until(second::isHeld);
		assertThat(second.acquisitionCount()).isEqualTo(1);
	}

	private KafkaReplayLock lock() {
		Map<String, Object> member = KafkaReplayLock.memberProperties(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()), this.group);
		return new KafkaReplayLock(this.lockTopic, () -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(member));
	}

	private LoopThreads membership(KafkaReplayLock lock, String instance) {
		LoopThreads threads = new LoopThreads(List.of("spool-replay-lock-" + instance), lock::membership,
				LoopMonitor.standalone(Clock.systemUTC()), () -> Duration.ofMinutes(2), 0);
		this.resources.add(threads::stop);
		return threads;
	}

	private SpoolReplayer replayer(EventSpool spool, ReplayPermit permit) {
		Map<Lane, ProducerSettings> settings = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			settings.put(lane, new ProducerSettings(Duration.ZERO, DataSize.ofKilobytes(16), "none"));
		}
		ClusterProducers primary = new ClusterProducers("primary", Map.of(), KafkaTestBroker.bootstrapServers(),
				settings, Runnable::run);
		this.resources.add(primary);
		return new SpoolReplayer(spool, primary, Duration.ofSeconds(10), permit);
	}

	private SpoolReplayTask replayTask(SpoolReplayer replayer) {
		SpoolReplayTask task = new SpoolReplayTask(replayer, Duration.ofMillis(100),
				LoopMonitor.standalone(Clock.systemUTC()));
		this.resources.add(task::stop);
		return task;
	}

	private void createTopics() throws Exception {
		try (Admin admin = admin()) {
			admin
				.createTopics(List.of(new NewTopic(this.lockTopic, 1, (short) 1),
						new NewTopic(this.eventTopic, 1, (short) 1)))
				.all()
				.get();
		}
	}

	private int groupMembers() throws Exception {
		try (Admin admin = admin()) {
			return admin.describeConsumerGroups(List.of(this.group)).all().get().get(this.group).members().size();
		}
	}

	private long endOffset() throws Exception {
		TopicPartition partition = new TopicPartition(this.eventTopic, 0);
		try (Admin admin = admin()) {
			return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
		}
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

	/** A spool whose deletes wait at a given one until the gate opens. */
	private static final class GatedSpool implements EventSpool {

		private final EventSpool delegate;

		private final int gatedDelete;

		private final AtomicInteger deletes = new AtomicInteger();

		final CountDownLatch reachedGate = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		GatedSpool(EventSpool delegate, int gatedDelete) {
			this.delegate = delegate;
			this.gatedDelete = gatedDelete;
		}

		@Override
		public String write(Event event, String intendedTopic) throws IOException {
			return this.delegate.write(event, intendedTopic);
		}

		@Override
		public List<String> keys() throws IOException {
			return this.delegate.keys();
		}

		@Override
		public SpooledEvent read(String key) throws IOException {
			return this.delegate.read(key);
		}

		@Override
		public void delete(String key) throws IOException {
			if (this.deletes.incrementAndGet() == this.gatedDelete) {
				this.reachedGate.countDown();
				try {
					this.gate.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted at the gate", ex);
				}
			}
			this.delegate.delete(key);
		}

	}

}
