package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.OrderingHeaders;
import io.eventgateway.publisher.produce.ReplayRoute;

/**
 * Replays spooled events into their intended topics on the primary cluster, deleting each
 * spooled event only after Kafka acknowledged its write. Stops at the first failure,
 * leaving it and every later event in the spool for the next run. Replays only while this
 * instance holds the {@link ReplayPermit}; one that loses it mid-pass stops after the
 * entry in flight. Replayed records carry their event's ordering headers. One meant for a
 * delay topic is routed afresh from its event's {@code not_before} and lane (the spool
 * keeps the event and its topic, not the headers of its first write): to its lane's topic
 * once due, else to the tier for the time left, with new delay headers.
 *
 * <p>
 * Thread-safe: passes (the periodic task, the drain at stop, the {@code republish}
 * command) run one at a time, so that one instance never sends an entry twice.
 */
public class SpoolReplayer {

	private static final Log logger = LogFactory.getLog(SpoolReplayer.class);

	private final EventSpool spool;

	private final ClusterProducers primary;

	private final Duration writeTimeout;

	private final ReplayPermit permit;

	private final SpoolBacklog backlog;

	private final DelayRouting delays;

	private final AtomicLong replayed = new AtomicLong();

	/**
	 * A replayer whose passes nobody meters.
	 * @param spool the spool
	 * @param primary where the events go
	 * @param writeTimeout how long one write may take
	 * @param permit whether this instance may replay now
	 */
	public SpoolReplayer(EventSpool spool, ClusterProducers primary, Duration writeTimeout, ReplayPermit permit) {
		this(spool, primary, writeTimeout, permit, SpoolBacklog.fromPassesOnly(spool));
	}

	/**
	 * @param spool the spool
	 * @param primary where the events go
	 * @param writeTimeout how long one write may take
	 * @param permit whether this instance may replay now
	 * @param backlog told what each pass left in the spool
	 */
	public SpoolReplayer(EventSpool spool, ClusterProducers primary, Duration writeTimeout, ReplayPermit permit,
			SpoolBacklog backlog) {
		this(spool, primary, writeTimeout, permit, backlog,
				new DelayRouting(TopicLayout.defaults(), Clock.systemUTC()));
	}

	/**
	 * @param spool the spool
	 * @param primary where the events go
	 * @param writeTimeout how long one write may take
	 * @param permit whether this instance may replay now
	 * @param backlog told what each pass left in the spool
	 * @param delays where an event meant for a delay topic goes now
	 */
	public SpoolReplayer(EventSpool spool, ClusterProducers primary, Duration writeTimeout, ReplayPermit permit,
			SpoolBacklog backlog, DelayRouting delays) {
		this.delays = delays;
		this.spool = spool;
		this.primary = primary;
		this.writeTimeout = writeTimeout;
		this.permit = permit;
		this.backlog = backlog;
	}

	/**
	 * Replays every spooled event, or none when another instance holds the permit.
	 * @return how many were replayed
	 * @throws IOException when the spool cannot be read or a write fails (what was
	 * replayed until then is gone from the spool)
	 */
	public int replayAll() throws IOException, InterruptedException {
		return replayWithin(() -> this.writeTimeout);
	}

	/**
	 * Replays spooled events, oldest first, for at most {@code budget}; the rest waits
	 * for the next pass. A periodic pass bounded so never looks stalled, however large
	 * the spool after a long outage.
	 * @param budget how long the pass may take
	 * @return how many were replayed
	 * @throws IOException when the spool cannot be read or a write fails
	 */
	public int replayFor(Duration budget) throws IOException, InterruptedException {
		long end = System.nanoTime() + budget.toNanos();
		// The budget decides whether to start the next entry; a write once sent always
		// gets its full timeout, since one cut short may still land and be replayed
		// again.
		return replay(() -> end - System.nanoTime() > 0, () -> this.writeTimeout);
	}

	/**
	 * Replays spooled events, oldest first, while there is time left (checked before
	 * each), waiting for no write longer than the time left: a drain at stop must end in
	 * time even when the primary does not answer.
	 * @param timeLeft the time left for the pass
	 * @return how many were replayed
	 * @throws IOException when the spool cannot be read or a write fails
	 */
	public int replayWithin(Supplier<Duration> timeLeft) throws IOException, InterruptedException {
		return replay(() -> {
			Duration left = timeLeft.get();
			return !left.isNegative() && !left.isZero();
		}, () -> {
			Duration left = timeLeft.get();
			return (left.compareTo(this.writeTimeout) < 0) ? left : this.writeTimeout;
		});
	}

	private synchronized int replay(BooleanSupplier goOn, Supplier<Duration> writeWait)
			throws IOException, InterruptedException {
		if (!this.permit.isHeld()) {
			// Another instance replays: what the spool holds is learned here if at all.
			this.backlog.listIfCheap();
			return 0;
		}
		AtomicInteger replayed = new AtomicInteger();
		List<String> keys;
		try {
			keys = this.spool.keys();
		}
		catch (IOException | RuntimeException ex) {
			// Not the last listing's figures: nobody can see into the spool now.
			this.backlog.unknown();
			throw ex;
		}
		int passed = 0;
		try {
			for (String key : keys) {
				if (!goOn.getAsBoolean()) {
					break;
				}
				if (!this.permit.runWhileHeld(() -> replayOne(key, replayed, writeWait))) {
					logger.info("Stopped replaying the spool after " + replayed
							+ " events: this instance no longer holds the replay lock");
					break;
				}
				passed++;
			}
		}
		finally {
			// What the pass left behind, without listing the spool again.
			this.backlog.observe(keys.subList(passed, keys.size()));
			if (replayed.get() > 0) {
				logger.info("Republished " + replayed + " spooled events");
			}
		}
		return replayed.get();
	}

	/** Events this instance replayed since start. */
	public long replayedCount() {
		return this.replayed.get();
	}

	/** Whether this instance may replay now. */
	public boolean isReplayer() {
		return this.permit.isHeld();
	}

	/** How many events the spool holds now. */
	public int remaining() throws IOException {
		return this.spool.keys().size();
	}

	private void replayOne(String key, AtomicInteger replayed, Supplier<Duration> writeWait)
			throws IOException, InterruptedException {
		EventSpool.SpooledEvent spooled;
		try {
			spooled = this.spool.read(key);
		}
		catch (NoSuchFileException ex) {
			// Replayed and deleted by the instance that held the lock before us, after
			// we listed it.
			return;
		}
		Duration wait = writeWait.get();
		try {
			// The spool keeps no headers: a delay record is routed afresh from its event.
			ReplayRoute route = this.delays.routeReplay(spooled.event(), spooled.intendedTopic(), null);
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(route.topic(), spooled.event().getCompanyId(),
					spooled.event().toByteArray());
			OrderingHeaders.add(record.headers(), spooled.event());
			route.addHeaders(record.headers());
			this.primary.forLane(Lane.of(spooled.event()))
				.send(record)
				.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IOException("Replaying " + key + " to " + spooled.intendedTopic() + " failed after " + replayed
					+ " events; it stays in the spool", ex);
		}
		this.spool.delete(key);
		replayed.incrementAndGet();
		this.replayed.incrementAndGet();
	}

}
