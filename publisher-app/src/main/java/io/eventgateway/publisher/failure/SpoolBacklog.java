package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * How many events wait in the spool and since when, for the
 * {@code gateway.publisher.spool.records} and {@code spool.oldest.age} gauges. Learned
 * from every listing of the spool a replay pass makes (what it left behind), and, for a
 * spool cheap to list (a local directory), by listing it when read and the last figures
 * are older than {@code maxAge}. Unknown (NaN) until first learned, and after a listing
 * failed: never a healthy-looking 0 for a spool nobody could look into.
 *
 * <p>
 * Thread-safe.
 */
public class SpoolBacklog {

	private static final Log logger = LogFactory.getLog(SpoolBacklog.class);

	private final EventSpool spool;

	private final Clock clock;

	private final Duration maxAge;

	private final boolean listOnRead;

	private volatile Snapshot snapshot;

	/**
	 * @param spool the spool
	 * @param clock the time source
	 * @param maxAge how old the figures may grow before a read lists the spool again
	 * @param listOnRead whether a read may list the spool (only where that is cheap)
	 */
	public SpoolBacklog(EventSpool spool, Clock clock, Duration maxAge, boolean listOnRead) {
		this.spool = spool;
		this.clock = clock;
		this.maxAge = maxAge;
		this.listOnRead = listOnRead;
	}

	/** A backlog learned only from replay passes, for replayers nobody meters. */
	static SpoolBacklog fromPassesOnly(EventSpool spool) {
		return new SpoolBacklog(spool, Clock.systemUTC(), Duration.ZERO, false);
	}

	/** Records a listing of the spool, oldest first, as it stands now. */
	public void observe(List<String> keys) {
		Instant oldest = keys.isEmpty() ? null : this.spool.writtenAt(keys.get(0));
		this.snapshot = new Snapshot(keys.size(), oldest, this.clock.millis());
	}

	/** Events in the spool, or NaN when unknown. */
	public double records() {
		Snapshot current = current();
		return (current != null) ? current.records() : Double.NaN;
	}

	/**
	 * Seconds since the oldest spooled event was written, 0 when none, NaN when unknown.
	 */
	public double oldestAgeSeconds() {
		Snapshot current = current();
		if (current == null) {
			return Double.NaN;
		}
		if (current.records() == 0) {
			return 0;
		}
		if (current.oldest() == null) {
			return Double.NaN;
		}
		return Math.max(0, this.clock.millis() - current.oldest().toEpochMilli()) / 1000.0;
	}

	private Snapshot current() {
		if (this.listOnRead) {
			refreshIfDue();
		}
		return this.snapshot;
	}

	private synchronized void refreshIfDue() {
		Snapshot current = this.snapshot;
		if (current != null && this.clock.millis() - current.takenAtMillis() < this.maxAge.toMillis()) {
			return;
		}
		try {
			observe(this.spool.keys());
		}
		catch (IOException | RuntimeException ex) {
			this.snapshot = null;
			logger.warn("Could not list the spool to report its backlog: " + ex);
		}
	}

	/**
	 * One listing.
	 *
	 * @param records events listed
	 * @param oldest when the oldest was written, {@code null} when none or unknown
	 * @param takenAtMillis when it was listed
	 */
	private record Snapshot(int records, Instant oldest, long takenAtMillis) {
	}

}
