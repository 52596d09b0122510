package io.eventgateway.orchestrator.delay;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.retry.ForeignRecord;

/**
 * Reads every delay topic (the configured tiers' and any left by an earlier
 * configuration) and writes each record on once its hold ends: to its destination (a
 * priority topic or offload) when due, else to the delay tier of its remaining time with
 * a new {@code gateway-not-before}; key, value and the other headers as they were, the
 * record's timestamp the time of forwarding. A record that is not a usable delay record
 * goes to the dead-letter topic, alone (see {@link DelayRouting}).
 *
 * <p>
 * One loop per orchestrator, in a consumer group every replica joins: any replica may
 * forward any record. A partition whose head record is not due is paused and its position
 * set back to that record ({@link DelayHolds}); it is read again from there when the hold
 * ends. That reads a held record (and what the same fetch brought after it) twice per
 * hold, a cost bounded by one fetch per tier hop, for a loop that otherwise keeps nothing
 * in memory while it waits.
 *
 * <p>
 * A partition is committed only up to its first record whose write was not yet
 * acknowledged ({@link ForwardedWrites}), on a timer and at once on revocation and stop.
 * A failed write is logged, counted and backed off: nothing past it is committed, its
 * partition is paused for the heartbeat's growing back-off and read again from the failed
 * record. While a partition's writes keep failing the loop reports no progress, so its
 * liveness turns DOWN once that lasts beyond the loop's stall limit. An iteration that
 * throws anything else is logged, counted and backed off the same way, and every
 * partition is read again from its first record not yet handed to a write. Only
 * {@link #stop()} ends the loop.
 *
 * <p>
 * Runs on its own thread; {@link #stop()} may be called from any thread.
 */
public class DelayForwarder implements StoppableLoop {

	/**
	 * Bounds the wait for writes in flight, the final commit and the close, so that a
	 * lost broker cannot hold up a rebalance or shutdown.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(DelayForwarder.class);

	private final Consumer<String, byte[]> consumer;

	private final Producer<String, byte[]> producer;

	private final Function<ForeignRecord, CompletableFuture<Void>> deadLetters;

	private final Pattern topics;

	private final DelayRouting routing;

	private final DelayHolds holds;

	private final ForwardedWrites writes = new ForwardedWrites();

	/** Partitions backing off after a failed write, until when (epoch millis). */
	private final Map<TopicPartition, Long> backOffs = new HashMap<>();

	/** Partitions whose last write failed and none was acknowledged since. */
	private final Set<TopicPartition> failing = new HashSet<>();

	private final Clock clock;

	private final Settings settings;

	private final LoopHeartbeat heartbeat;

	private final DelayStats stats;

	private long lastCommit;

	private volatile boolean running = true;

	/**
	 * @param consumer the consumer of the delay topics, used by this loop only and closed
	 * at its end
	 * @param producer where forwarded records are written (acks=all, idempotent), used by
	 * this loop only and closed at its end
	 * @param deadLetters writes a record that is not a usable delay record to the
	 * dead-letter topic; the future completes once that write is durable and never throws
	 * @param topics the gateway's topics, whose delay topics are read: those of the
	 * configured tiers and any left by tiers removed or changed since
	 * @param routing decides where each record goes
	 * @param clock the time source of holds, due times and commits
	 * @param settings how the loop polls and commits
	 * @param heartbeat where the loop reports progress and failures
	 * @param stats what the loop counts, for meters
	 */
	public DelayForwarder(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
			Function<ForeignRecord, CompletableFuture<Void>> deadLetters, TopicLayout topics, DelayRouting routing,
			Clock clock, Settings settings, LoopHeartbeat heartbeat, DelayStats stats) {
		this.consumer = consumer;
		this.producer = producer;
		this.deadLetters = deadLetters;
		DelayTopics delayTopics = new DelayTopics(topics);
		// By pattern: a tier removed or changed leaves records on its topic, forwarded by
		// the same decision as any other (due: to their destination; not: to a current
		// tier).
		this.topics = delayTopics.pattern();
		this.routing = routing;
		// A record holds its partition at most its tier.
		this.holds = new DelayHolds(delayTopics::maxHoldMillis);
		this.clock = clock;
		this.settings = settings;
		this.heartbeat = heartbeat;
		this.stats = stats;
		this.lastCommit = clock.millis();
	}

	@Override
	public void run() {
		try {
			this.consumer.subscribe(this.topics, new Rebalance());
			while (this.running) {
				try {
					iterate();
				}
				catch (WakeupException ex) {
					// stop() was called: the loop condition ends it.
				}
				catch (Throwable ex) {
					if (!this.running) {
						break;
					}
					rewind();
					if (!this.heartbeat.failedAndBackOff(ex)) {
						break;
					}
				}
			}
		}
		finally {
			try {
				handBack(this.consumer.assignment());
			}
			finally {
				try {
					this.producer.close(CLOSE_TIMEOUT);
				}
				finally {
					this.consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
				}
			}
		}
	}

	/** Ends the loop after a final commit; does not wait for it. */
	@Override
	public void stop() {
		this.running = false;
		this.consumer.wakeup();
	}

	private void iterate() {
		settleWrites();
		long now = this.clock.millis();
		applyPauses(now);
		ConsumerRecords<String, byte[]> records = this.consumer.poll(pollTimeout(now));
		forward(records);
		maybeCommit();
		if (this.failing.isEmpty()) {
			this.heartbeat.progressed();
		}
	}

	/**
	 * Takes stock of completed writes. A failed one is logged and counted (through the
	 * heartbeat, whose back-off grows until the loop progresses again), and its partition
	 * backs off and is read again from the failed record.
	 */
	private void settleWrites() {
		ForwardedWrites.Settled settled = this.writes.settle();
		this.failing.removeAll(settled.advanced());
		for (ForwardedWrites.FailedWrite failed : settled.failed()) {
			TopicPartition partition = failed.partition();
			this.stats.writeFailed();
			Duration backOff = this.heartbeat.failed(new DelayWriteException(
					"Write of the delay record at " + partition + "@" + failed.offset()
							+ " failed; nothing past it is committed, and its partition is read again from it",
					failed.cause()));
			this.failing.add(partition);
			this.holds.release(partition);
			this.backOffs.put(partition, this.clock.millis() + backOff.toMillis());
			if (this.consumer.assignment().contains(partition)) {
				this.consumer.seek(partition, failed.offset());
			}
		}
	}

	/** Pauses the partitions that are held or backing off and resumes the others. */
	private void applyPauses(long now) {
		this.backOffs.values().removeIf((until) -> until <= now);
		Set<TopicPartition> assignment = this.consumer.assignment();
		Set<TopicPartition> wanted = new HashSet<>(this.holds.held(now));
		wanted.addAll(this.backOffs.keySet());
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
		this.stats.held(this.holds.size(), this.holds.earliestDue());
	}

	/** The poll timeout, shortened so that the next hold or back-off ends on time. */
	private Duration pollTimeout(long now) {
		long timeout = this.settings.pollTimeout().toMillis();
		OptionalLong holdEnds = this.holds.nextEnd();
		if (holdEnds.isPresent()) {
			timeout = Math.min(timeout, holdEnds.getAsLong() - now);
		}
		for (long until : this.backOffs.values()) {
			timeout = Math.min(timeout, until - now);
		}
		return Duration.ofMillis(Math.max(0, timeout));
	}

	/**
	 * Hands each record to a write, in offset order per partition, until a record must
	 * wait: its partition is then held, paused and set back to it, and the records after
	 * it are read again once the hold ends.
	 */
	private void forward(ConsumerRecords<String, byte[]> records) {
		if (records.isEmpty()) {
			return;
		}
		long now = this.clock.millis();
		for (TopicPartition partition : records.partitions()) {
			for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
				if (this.holds.mustWait(record, DelayRouting.notBefore(record), now)) {
					this.consumer.seek(partition, record.offset());
					this.consumer.pause(List.of(partition));
					this.writes.stoppedAt(partition, record.offset());
					break;
				}
				this.writes.sent(partition, record.offset(), write(record, now));
			}
		}
		this.stats.held(this.holds.size(), this.holds.earliestDue());
	}

	private CompletableFuture<Void> write(ConsumerRecord<String, byte[]> record, long now) {
		DelayDecision decision = this.routing.decide(record, now);
		if (decision.outcome() == DelayOutcome.DEAD_LETTER) {
			return deadLetter(record, decision.problem());
		}
		ProducerRecord<String, byte[]> next = new ProducerRecord<>(decision.topic(), null, now, record.key(),
				record.value(), forwardedHeaders(record, decision));
		return send(next).thenRun(() -> this.stats.forwarded(decision.outcome()))
			.exceptionallyCompose((failure) -> tooLarge(failure)
					? deadLetter(record, "too large to forward to " + decision.topic() + ": " + failure.getMessage())
					: CompletableFuture.failedFuture(failure));
	}

	/**
	 * The record's headers for its next topic: without the delay headers when it arrives
	 * at its destination (there a {@code gateway-not-before} would mean a retry hold),
	 * with a new {@code gateway-not-before} when it waits in another tier.
	 */
	private static Headers forwardedHeaders(ConsumerRecord<String, byte[]> record, DelayDecision decision) {
		Headers headers = new RecordHeaders(record.headers().toArray());
		headers.remove(GatewayHeaders.NOT_BEFORE);
		if (decision.outcome() == DelayOutcome.DUE) {
			headers.remove(GatewayHeaders.DELAY_UNTIL);
			headers.remove(GatewayHeaders.DELAYED_TO);
		}
		else {
			GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE, decision.notBefore());
		}
		return headers;
	}

	private CompletableFuture<Void> deadLetter(ConsumerRecord<String, byte[]> record, String problem) {
		logger.warn("Delay record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
				+ " goes to the dead-letter topic: " + problem);
		ForeignRecord foreign = new ForeignRecord(new Position(record.topic(), record.partition(), record.offset()),
				record.key(), record.value(), record.headers().toArray(), record.timestamp(), problem);
		return this.deadLetters.apply(foreign).thenRun(() -> this.stats.forwarded(DelayOutcome.DEAD_LETTER));
	}

	private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		try {
			this.producer.send(record, (metadata, failure) -> {
				if (failure != null) {
					acknowledged.completeExceptionally(failure);
				}
				else {
					acknowledged.complete(null);
				}
			});
		}
		catch (RuntimeException ex) {
			// A producer that refuses at once (closed, metadata timeout): the same as a
			// failed write.
			acknowledged.completeExceptionally(ex);
		}
		return acknowledged;
	}

	private void maybeCommit() {
		long now = this.clock.millis();
		if (now >= this.lastCommit && now - this.lastCommit < this.settings.commitInterval().toMillis()) {
			return;
		}
		this.lastCommit = now;
		Map<TopicPartition, OffsetAndMetadata> due = this.writes.toCommit(this.consumer.assignment());
		if (!due.isEmpty()) {
			this.consumer.commitAsync(due, (offsets, failure) -> {
				if (failure != null) {
					logger.warn("Commit of delay-topic offsets failed; it is sent again with the next one: "
							+ failure.getMessage());
					this.writes.uncommitted(offsets.keySet());
				}
			});
			this.writes.committed(due);
		}
	}

	/**
	 * Sets every partition back to its first record not handed to a write, after an
	 * iteration failed half-way: records a poll returned are never skipped.
	 */
	private void rewind() {
		try {
			for (TopicPartition partition : this.consumer.assignment()) {
				OptionalLong next = this.writes.nextToRead(partition);
				if (next.isPresent()) {
					this.consumer.seek(partition, next.getAsLong());
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not set the delay partitions back after a failed iteration: " + ex.getMessage());
		}
	}

	/**
	 * Waits a bounded time for the partitions' writes in flight, commits what was
	 * acknowledged (never past a write that failed or did not complete), and forgets
	 * them.
	 */
	private void handBack(Collection<TopicPartition> partitions) {
		try {
			if (!this.writes.awaitInFlight(partitions, CLOSE_TIMEOUT)) {
				logger.warn("Writes of delay records still in flight after " + CLOSE_TIMEOUT
						+ "; their records are forwarded again by the partitions' next owner");
			}
			settleWrites();
			commitSync(this.writes.toCommit(partitions));
		}
		finally {
			forget(partitions);
		}
	}

	private void commitSync(Map<TopicPartition, OffsetAndMetadata> due) {
		if (due.isEmpty()) {
			return;
		}
		try {
			try {
				this.consumer.commitSync(due, CLOSE_TIMEOUT);
			}
			catch (WakeupException ex) {
				// A stop's wakeup that no poll consumed: it is spent now, commit once
				// more.
				this.consumer.commitSync(due, CLOSE_TIMEOUT);
			}
			this.writes.committed(due);
		}
		catch (RuntimeException ex) {
			logger.warn("Commit of delay-topic offsets failed; their records are forwarded again: " + ex.getMessage());
		}
	}

	private void forget(Collection<TopicPartition> partitions) {
		this.writes.forget(partitions);
		this.holds.forget(partitions);
		partitions.forEach(this.backOffs::remove);
		this.failing.removeAll(partitions);
		this.stats.held(this.holds.size(), this.holds.earliestDue());
	}

	private static boolean tooLarge(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * How the forwarder polls and commits.
	 *
	 * @param pollTimeout the longest one poll waits (shorter when a hold ends sooner)
	 * @param commitInterval the least time between two timed commits (zero: after every
	 * iteration); revocation and stop commit at once
	 */
	public record Settings(Duration pollTimeout, Duration commitInterval) {
	}

	/** Runs on the consumer thread, inside poll(). */
	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			DelayForwarder.this.handBack(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			// Another member may own them already: committing now could move its
			// position.
			DelayForwarder.this.forget(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			// Nothing to do: a new partition is read from its commit, unpaused, and
			// pauses apply from the next poll on.
		}

	}

}
