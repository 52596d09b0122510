package io.eventgateway.orchestrator.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.common.trace.EventSpan;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.task.ReadRecord;
import io.eventgateway.orchestrator.task.TaskStateController;

/**
 * Reads one source (a priority topic, the offload topic, or the retry topics) into the
 * task state controller and commits each partition as far as its tracker allows.
 *
 * <p>
 * A plain consumer loop rather than a listener container: records stay in flight long
 * after the poll that returned them, the commit position comes from the
 * {@link OffsetTrackers}, and partitions are paused for independent reasons that must
 * survive rebalances: the source's gate (memory, offload room, retry switch) pauses all
 * of them, a retry record that is not due yet holds its own partition
 * ({@link RetryHolds}), and records a poll returned but not handed on yet (beyond the
 * per-poll limit, behind a held retry record, of a failed iteration) wait in
 * {@link PendingRecords} with their partitions paused: the consumer never seeks back, so
 * no record is fetched twice. Before every poll the wanted pause state is applied to the
 * current assignment, so newly assigned partitions follow it too. Commits are
 * {@link SourceCommits}'s job: on a timer, and synchronously on revocation, hand-back and
 * stop.
 *
 * <p>
 * Every record is handed on in offset order with its neighbours: events to the buffer,
 * records the gateway did not write to the dead-letter topic. An iteration that throws
 * anything is logged, counted and backed off through the loop's {@link LoopHeartbeat};
 * the records it was handing on are handed on again, from memory, and records registered
 * before the failure are not registered twice. Only {@link #stop()} ends the loop.
 *
 * <p>
 * Unless the orchestrator is {@link Standing#SERVING} (its fleet is on standby, or it is
 * fenced from the cluster), the source hands its partitions back and leaves its group
 * before the next poll, and subscribes again once serving.
 *
 * <p>
 * Runs on its own thread; {@link #stop()} may be called from any thread.
 */
public class SourceConsumer implements StoppableLoop {

	/**
	 * Bounds the final commit and the close, so that a lost broker cannot hold up
	 * shutdown.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(SourceConsumer.class);

	private final Consumer<String, byte[]> consumer;

	private final Subscription subscription;

	private final TaskStateController controller;

	private final OffsetTrackers offsets;

	private final SourceState state;

	private final Clock clock;

	private final Duration pollTimeout;

	private final ObjLongConsumer<String> pollDelays;

	private final IntSupplier maxRecords;

	private final LoopHeartbeat heartbeat;

	private final RetryHolds holds;

	private final PendingRecords pending;

	private final SourceCommits commits;

	private final Supplier<Standing> standing;

	private final EventTracing tracing;

	private volatile boolean running = true;

	/**
	 * Whether the last pause state applied paused every partition (gate closed, or
	 * records waiting to be handed on): partitions assigned in the next poll are paused
	 * as they arrive, else their records would add to what waits.
	 */
	private boolean pausingAll;

	/**
	 * @param consumer the Kafka consumer, used by this loop only
	 * @param subscription the topics, subscribed through the group or assigned explicitly
	 * @param controller where read records go
	 * @param offsets the offset trackers shared with the controller
	 * @param state this source's gate and visible state
	 * @param clock the time source for retry due times
	 * @param settings how the source polls
	 * @param heartbeat where the loop reports progress and failures
	 */
	public SourceConsumer(Consumer<String, byte[]> consumer, Subscription subscription, TaskStateController controller,
			OffsetTrackers offsets, SourceState state, Clock clock, Settings settings, LoopHeartbeat heartbeat) {
		this(consumer, subscription, controller, offsets, state, clock, settings, heartbeat, () -> Standing.SERVING);
	}

	/**
	 * @param consumer the Kafka consumer, used by this loop only
	 * @param subscription the topics, subscribed through the group or assigned explicitly
	 * @param controller where read records go
	 * @param offsets the offset trackers shared with the controller
	 * @param state this source's gate and visible state
	 * @param clock the time source for retry due times
	 * @param settings how the source polls
	 * @param heartbeat where the loop reports progress and failures
	 * @param standing whether the orchestrator takes work now, asked before every poll:
	 * unless {@link Standing#SERVING} the source leaves its group (committing first
	 * unless {@link Standing#FENCED}) and waits, and it subscribes again once serving
	 */
	public SourceConsumer(Consumer<String, byte[]> consumer, Subscription subscription, TaskStateController controller,
			OffsetTrackers offsets, SourceState state, Clock clock, Settings settings, LoopHeartbeat heartbeat,
			Supplier<Standing> standing) {
		this(consumer, subscription, controller, offsets, state, clock, settings, heartbeat, standing,
				EventTracing.OFF);
	}

	/**
	 * @param consumer the Kafka consumer, used by this loop only
	 * @param subscription the topics, subscribed through the group or assigned explicitly
	 * @param controller where read records go
	 * @param offsets the offset trackers shared with the controller
	 * @param state this source's gate and visible state
	 * @param clock the time source for retry due times
	 * @param settings how the source polls
	 * @param heartbeat where the loop reports progress and failures
	 * @param standing whether the orchestrator takes work now (see above)
	 * @param tracing marks each event read in the trace its record's header carries
	 */
	public SourceConsumer(Consumer<String, byte[]> consumer, Subscription subscription, TaskStateController controller,
			OffsetTrackers offsets, SourceState state, Clock clock, Settings settings, LoopHeartbeat heartbeat,
			Supplier<Standing> standing, EventTracing tracing) {
		this.tracing = tracing;
		this.standing = standing;
		this.consumer = consumer;
		this.subscription = subscription;
		this.controller = controller;
		this.offsets = offsets;
		this.state = state;
		this.clock = clock;
		this.pollTimeout = settings.pollTimeout();
		this.pollDelays = settings.pollDelays();
		this.maxRecords = settings.maxRecords();
		this.holds = new RetryHolds(settings.maxHoldMillis());
		this.pending = new PendingRecords(state::waiting);
		this.heartbeat = heartbeat;
		this.commits = new SourceCommits(consumer, offsets, () -> standing.get() != Standing.FENCED,
				settings.commitInterval(), clock::millis);
	}

	@Override
	public void run() {
		try {
			boolean subscribed = false;
			while (this.running) {
				try {
					Standing now = this.standing.get();
					if (now != Standing.SERVING) {
						if (subscribed) {
							leave(now);
							subscribed = false;
						}
						this.state.standing(now);
						standBy();
						this.heartbeat.progressed();
						continue;
					}
					this.state.standing(now);
					if (!subscribed) {
						subscribe();
						subscribed = true;
					}
					handOn(pollOnce());
					this.commits.maybeCommitAsync();
					recordProgress();
					this.heartbeat.progressed();
				}
				catch (WakeupException ex) {
					// stop() was called: the loop condition ends it.
				}
				catch (Throwable ex) {
					if (!this.running) {
						break;
					}
					if (!this.heartbeat.failedAndBackOff(ex)) {
						break;
					}
				}
			}
		}
		finally {
			this.pending.clear();
			try {
				this.commits.commitSync(this.consumer.assignment(), CLOSE_TIMEOUT);
			}
			finally {
				this.consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
			}
		}
	}

	/** Ends the loop after a final commit; does not wait for it. */
	@Override
	public void stop() {
		this.running = false;
		this.consumer.wakeup();
	}

	private void subscribe() {
		if (this.subscription.explicitPartitions() == null) {
			this.consumer.subscribe(this.subscription.topics(), new Rebalance());
		}
		else {
			List<TopicPartition> assigned = explicitAssignment();
			this.consumer.assign(assigned);
			this.offsets.assigned(assigned);
		}
	}

	/**
	 * Hands every partition back: what is done is committed (never while fenced), the
	 * consumer leaves its group so that the group gives the partitions to a replica that
	 * serves, and their buffered tasks and read-ahead records are dropped, since the new
	 * owner reads them again from the commit. Leases out already still end normally; an
	 * answer for one of them no longer moves a commit here.
	 */
	private void leave(Standing why) {
		Set<TopicPartition> owned = Set.copyOf(this.consumer.assignment());
		this.commits.commitSync(owned, CLOSE_TIMEOUT);
		// A group member runs the rebalance listener here (revoked, or lost when the
		// group has moved on); an explicit assignment has none.
		this.consumer.unsubscribe();
		forget(owned);
		logger.warn("Source " + this.state.name() + " handed back " + owned.size() + " partitions and left its "
				+ "consumer group: " + why);
	}

	/** Waits one poll timeout, or until stopped, without touching the consumer. */
	private void standBy() {
		LockSupport.parkNanos(this.pollTimeout.toNanos());
	}

	private void forget(Collection<TopicPartition> partitions) {
		this.controller.revoked(partitions);
		this.pending.drop(partitions);
		this.holds.forget(partitions);
		this.commits.forget(partitions);
		for (TopicPartition partition : partitions) {
			this.state.forget(partition);
		}
	}

	private List<TopicPartition> explicitAssignment() {
		List<TopicPartition> assigned = new ArrayList<>();
		for (String topic : this.subscription.topics()) {
			this.consumer.partitionsFor(topic)
				.stream()
				.filter((info) -> this.subscription.explicitPartitions().test(info.partition()))
				.forEach((info) -> assigned.add(new TopicPartition(topic, info.partition())));
		}
		return assigned;
	}

	/**
	 * Polls and returns the records to hand on now, up to the per-poll limit. While the
	 * source's gate is closed, or records of an earlier poll can be handed on, every
	 * partition is paused, so that the poll only keeps the group membership alive and
	 * what waits does not grow; otherwise only the held partitions are. Records that wait
	 * are handed on while only the memory gate is closed (see
	 * {@link SourceState#mayHandOn()}), never while the source's own condition fails.
	 */
	private List<ConsumerRecord<String, byte[]>> pollOnce() {
		Set<TopicPartition> held = this.holds.held(this.clock.millis());
		boolean takeable = this.pending.hasTakeable(held);
		applyPauses(held, takeable);
		boolean mayHandOn = this.state.mayHandOn();
		Duration timeout = (mayHandOn && takeable) ? Duration.ZERO : this.pollTimeout;
		ConsumerRecords<String, byte[]> records = this.consumer.poll(timeout);
		if (!records.isEmpty()) {
			// First of all: the consumer's position has moved past these records.
			this.state.memoryGate().read(this.pending.add(records));
			long now = this.clock.millis();
			for (TopicPartition partition : records.partitions()) {
				this.pollDelays.accept(partition.topic(), now - records.records(partition).get(0).timestamp());
			}
		}
		return mayHandOn ? this.pending.take(this.maxRecords.getAsInt(), held) : List.of();
	}

	/**
	 * Applies the wanted pause state, re-evaluating the source's gate. A partition with
	 * records waiting in {@link PendingRecords} is always paused: it is either held or
	 * covered by {@code takeable}.
	 */
	private void applyPauses(Set<TopicPartition> held, boolean takeable) {
		boolean mayRead = this.state.mayRead();
		Set<TopicPartition> assignment = this.consumer.assignment();
		this.pausingAll = !mayRead || takeable;
		Set<TopicPartition> wanted = new HashSet<>(this.pausingAll ? assignment : held);
		wanted.retainAll(assignment);
		Set<TopicPartition> paused = this.consumer.paused();
		List<TopicPartition> toPause = wanted.stream().filter((partition) -> !paused.contains(partition)).toList();
		List<TopicPartition> toResume = paused.stream().filter((partition) -> !wanted.contains(partition)).toList();
		if (!toPause.isEmpty()) {
			this.consumer.pause(toPause);
		}
		if (!toResume.isEmpty()) {
			this.consumer.resume(toResume);
		}
		this.state.heldPartitions(this.holds.size());
	}

	/**
	 * Decodes the records in order and hands them to the controller in one call. A retry
	 * record not due yet holds its partition: it and the records after it wait in
	 * {@link PendingRecords}, not fetched again. Should the hand-on fail, nothing of it
	 * stays registered (the controller rolls back), and the whole batch waits there to be
	 * handed on again.
	 */
	private void handOn(List<ConsumerRecord<String, byte[]>> records) {
		if (records.isEmpty()) {
			return;
		}
		long now = this.clock.millis();
		List<ReadRecord> read = new ArrayList<>(records.size());
		List<ConsumerRecord<String, byte[]>> deferred = new ArrayList<>();
		Set<TopicPartition> heldNow = new HashSet<>();
		boolean handedOn = false;
		try {
			for (ConsumerRecord<String, byte[]> record : records) {
				// Partitions are looked up only once one is held: no allocation per
				// record on the common path.
				if (!heldNow.isEmpty() && heldNow.contains(new TopicPartition(record.topic(), record.partition()))) {
					deferred.add(record);
					continue;
				}
				ReadRecord decoded = RecordDecoder.decode(record);
				if (decoded instanceof ReadRecord.Decoded && this.holds.mustWait(record, now)) {
					heldNow.add(new TopicPartition(record.topic(), record.partition()));
					deferred.add(record);
					continue;
				}
				if (this.tracing.enabled() && decoded instanceof ReadRecord.Decoded) {
					traceRead(record);
				}
				read.add(decoded);
			}
			this.controller.acceptRead(read);
			handedOn = true;
		}
		finally {
			// In offset order within each partition, in front of what waits already.
			this.pending.putBack(handedOn ? deferred : records);
		}
	}

	/**
	 * Marks the read in the event's trace, as a child of the publisher's write (the
	 * record's {@code traceparent} header): the span covers the read only; the time in
	 * the buffer shows as the gap before the worker's span.
	 */
	private void traceRead(ConsumerRecord<String, byte[]> record) {
		EventSpan span = this.tracing.start("gateway.orchestrator.read",
				GatewayHeaders.getString(record.headers(), EventTracing.HEADER));
		span.tag("messaging.destination.name", record.topic())
			.tag("messaging.destination.partition.id", Integer.toString(record.partition()))
			.tag("messaging.kafka.offset", Long.toString(record.offset()))
			.end();
	}

	private void recordProgress() {
		for (TopicPartition partition : this.consumer.assignment()) {
			OptionalLong lag = this.consumer.currentLag(partition);
			long endOffset = lag.isPresent() ? this.consumer.position(partition) + lag.getAsLong() : -1;
			this.state.progress(partition, this.commits.committed(partition), endOffset, lag.orElse(-1));
		}
	}

	/**
	 * What a source reads.
	 *
	 * @param topics the topics
	 * @param explicitPartitions {@code null} to subscribe through the consumer group;
	 * otherwise the partition numbers of each topic to assign explicitly, without group
	 * management
	 */
	public record Subscription(List<String> topics, IntPredicate explicitPartitions) {

		/** Group-managed subscription to the topics. */
		public static Subscription of(List<String> topics) {
			return new Subscription(topics, null);
		}

	}

	/**
	 * How a source polls.
	 *
	 * @param pollTimeout how long one poll waits
	 * @param maxRecords the most records one iteration hands on, read before each (a hot
	 * setting); records a poll returned beyond it wait for the next iterations
	 * @param maxHoldMillis per topic, the longest a not-yet-due retry record may hold its
	 * partition (its level's delay); 0 for topics whose records are never held
	 * @param pollDelays told, per topic, how old (in milliseconds) the first record of a
	 * poll was
	 * @param commitInterval the least time between two commits of finished offsets while
	 * the source reads (zero: after every iteration); revocation, hand-back and stop
	 * commit at once whatever it says
	 */
	public record Settings(Duration pollTimeout, IntSupplier maxRecords, ToLongFunction<String> maxHoldMillis,
			ObjLongConsumer<String> pollDelays, Duration commitInterval) {
	}

	/** Runs on the consumer thread, inside poll(). */
	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			SourceConsumer.this.commits.commitSync(partitions, CLOSE_TIMEOUT);
			SourceConsumer.this.forget(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			// Another member may own them already: committing now could move its
			// position.
			SourceConsumer.this.forget(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			SourceConsumer.this.offsets.assigned(partitions);
			// Kafka resumes newly assigned partitions and may return their records from
			// this very poll: while every partition should be paused, pause them now.
			// Otherwise the source's pause state applies to them from the next poll on
			// (applyPauses runs before every poll).
			if (SourceConsumer.this.pausingAll && !partitions.isEmpty()) {
				SourceConsumer.this.consumer.pause(partitions);
			}
		}

	}

}
