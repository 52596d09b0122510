package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.StoppableLoop;

/**
 * The replay lock of a spool several instances share: every instance is a member of one
 * Kafka consumer group subscribed to a single-partition topic of the primary cluster, and
 * the member assigned partition 0 replays the spool. Nothing is ever written to or read
 * from the topic; only its assignment matters.
 *
 * <p>
 * Why a consumer group rather than a lock object in S3 or a lock file: every publisher
 * reaches the primary cluster already, and replaying is pointless without it; the group
 * coordinator gives a partition to one live member at a time, takes it from a member that
 * stops heartbeating (session timeout) and hands it on at once when the holder leaves the
 * group on stop; and it calls the holder's revocation callback before anyone else gets
 * the partition, so waiting there for the entry in flight keeps two instances off one
 * entry. S3 conditional writes ({@code If-None-Match}) are not offered by every
 * S3-compatible store, need a lease whose expiry is judged on the clocks of different
 * hosts, and do nothing for a shared directory; file locks on a shared volume are only as
 * good as the network file system's locking.
 *
 * <p>
 * The limit: a holder cut off from the cluster believes it holds the lock until its own
 * session expires, and the group gives the partition to another member after the same
 * timeout. In that window two instances may replay, but the one cut off gets no
 * acknowledgement from the cluster either, so it deletes nothing: at worst an entry is
 * published twice, which at-least-once delivery allows; none is lost.
 *
 * <p>
 * Thread-safety: the membership loop (one thread, the only user of the consumer) grants
 * and revokes the lock; replay steps run on the replaying threads; {@link #isHeld()} is
 * read from any thread.
 */
public class KafkaReplayLock implements ReplayPermit {

	private static final Log logger = LogFactory.getLog(KafkaReplayLock.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

	/** How often a member that does not hold the lock checks that its topic exists. */
	static final Duration TOPIC_CHECK_INTERVAL = Duration.ofMinutes(1);

	private final TopicPartition lockPartition;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	/**
	 * Held by a replay step; a revocation takes it, so it waits for the step in flight.
	 */
	private final ReentrantLock stepInFlight = new ReentrantLock();

	private final Object changes = new Object();

	private final AtomicLong acquisitions = new AtomicLong();

	private volatile boolean assigned;

	/** Set as soon as a revocation begins, so that no new step starts meanwhile. */
	private volatile boolean releasing;

	/**
	 * @param topic the lock topic, with one partition, on the primary cluster
	 * @param consumers creates the group member's consumer (group id, bootstrap address),
	 * called on the membership loop's thread
	 */
	public KafkaReplayLock(String topic, Supplier<Consumer<byte[], byte[]>> consumers) {
		this.lockPartition = new TopicPartition(topic, 0);
		this.consumers = consumers;
	}

	/**
	 * The settings of a group member: the base consumer settings (the primary cluster's
	 * address, security) with the group, the cooperative sticky assignor (a member
	 * joining does not take the lock from the holder), a short session (a holder that
	 * died hands over within ten seconds) and no static membership (which would delay the
	 * handover at stop until the session expires).
	 * @param base the consumer settings of the primary cluster
	 * @param groupId the lock's group
	 */
	public static Map<String, Object> memberProperties(Map<String, Object> base, String groupId) {
		Map<String, Object> properties = new HashMap<>(base);
		properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-member");
		properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
		properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
		properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return properties;
	}

	@Override
	public boolean isHeld() {
		return this.assigned && !this.releasing;
	}

	@Override
	public boolean runWhileHeld(ReplayStep step) throws IOException, InterruptedException {
		this.stepInFlight.lockInterruptibly();
		try {
			if (!isHeld()) {
				return false;
			}
			step.run();
			return true;
		}
		finally {
			this.stepInFlight.unlock();
		}
	}

	@Override
	public boolean awaitHeld(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.changes) {
			while (!isHeld()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.changes, left);
			}
			return true;
		}
	}

	/** How often this instance became the replayer since start. */
	public long acquisitionCount() {
		return this.acquisitions.get();
	}

	/**
	 * The loop that keeps this instance in the group, for {@code LoopThreads}: it owns
	 * the consumer, and on stop gives the lock up (after the step in flight) before
	 * leaving the group, so that the next holder takes over at once.
	 */
	public StoppableLoop membership(LoopHeartbeat heartbeat) {
		return new Membership(heartbeat);
	}

	private void grant() {
		if (!this.assigned) {
			this.acquisitions.incrementAndGet();
			logger.info("This instance now replays the shared spool (it holds " + this.lockPartition + ")");
		}
		synchronized (this.changes) {
			this.releasing = false;
			this.assigned = true;
			this.changes.notifyAll();
		}
	}

	private void revoke(String why) {
		if (!this.assigned) {
			return;
		}
		this.releasing = true;
		// Uninterruptible: the next holder must not start while an entry of ours is
		// between its write and its delete. A step lasts at most one write timeout.
		this.stepInFlight.lock();
		try {
			this.assigned = false;
		}
		finally {
			this.releasing = false;
			this.stepInFlight.unlock();
		}
		logger.info("This instance no longer replays the shared spool (" + why + ")");
	}

	private final class Membership implements StoppableLoop, ConsumerRebalanceListener {

		private final LoopHeartbeat heartbeat;

		private volatile boolean stopping;

		private volatile Consumer<byte[], byte[]> consumer;

		/** When the lock topic was last looked for (System.nanoTime), 0 for never. */
		private long topicCheckedAt;

		Membership(LoopHeartbeat heartbeat) {
			this.heartbeat = heartbeat;
		}

		@Override
		public void run() {
			try (Consumer<byte[], byte[]> member = KafkaReplayLock.this.consumers.get()) {
				this.consumer = member;
				if (this.stopping) {
					return;
				}
				member.subscribe(List.of(KafkaReplayLock.this.lockPartition.topic()), this);
				while (!this.stopping) {
					pollOnce(member);
				}
				// Before leaving the group: whoever gets the partition next must find no
				// step of ours in flight.
				revoke("stopping");
			}
			finally {
				this.consumer = null;
				revoke("the membership loop ended");
			}
		}

		private void pollOnce(Consumer<byte[], byte[]> member) {
			try {
				member.poll(POLL_TIMEOUT);
				// The callbacks normally keep the state; this catches up after a poll
				// that failed between an assignment and its callback.
				if (member.assignment().contains(KafkaReplayLock.this.lockPartition)) {
					grant();
				}
				else {
					revoke("not assigned");
					checkLockTopicExists(member);
				}
				this.heartbeat.progressed();
			}
			catch (WakeupException ex) {
				// stop() woke the poll: the loop condition ends it.
			}
			catch (RuntimeException ex) {
				if (!this.stopping) {
					this.heartbeat.failedAndBackOff(ex);
				}
			}
		}

		/**
		 * Without its topic nobody is ever assigned the lock, and every instance would
		 * quietly leave the shared spool unreplayed: say so, as a failure of this loop
		 * (logged, counted, in health), at most once a minute.
		 */
		private void checkLockTopicExists(Consumer<byte[], byte[]> member) {
			long now = System.nanoTime();
			if (this.topicCheckedAt != 0 && now - this.topicCheckedAt < TOPIC_CHECK_INTERVAL.toNanos()) {
				return;
			}
			this.topicCheckedAt = now;
			String topic = KafkaReplayLock.this.lockPartition.topic();
			List<PartitionInfo> partitions = member.partitionsFor(topic, POLL_TIMEOUT);
			if (partitions == null || partitions.isEmpty()) {
				throw new IllegalStateException("The replay lock topic " + topic + " does not exist, so no instance"
						+ " can replay the shared spool: create it with one partition, or set gateway.topics.create"
						+ " to true");
			}
		}

		@Override
		public void stop() {
			this.stopping = true;
			Consumer<byte[], byte[]> member = this.consumer;
			if (member != null) {
				member.wakeup();
			}
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaReplayLock.this.lockPartition)) {
				grant();
			}
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaReplayLock.this.lockPartition)) {
				revoke("revoked by the group");
			}
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaReplayLock.this.lockPartition)) {
				revoke("lost: the group expired this member");
			}
		}

	}

}
