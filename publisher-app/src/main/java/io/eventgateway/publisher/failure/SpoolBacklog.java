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
 * spool cheap to list (a local directory), by listing it on the replay task's thread when
 * this instance does not replay. Reading the gauges never lists the spool: a scrape must
 * not wait on a file system or an object store.
 *
 * <p>
 * Unknown (NaN) until first learned, after a listing failed, and once the last listing is
 * older than {@code maxAge} (replays stopped or stuck): never a healthy-looking 0, nor an
 * old snapshot, for a spool nobody could look into.
 *
 * <p>
 * Thread-safe.
 */
public class SpoolBacklog {

	private static final Log logger = LogFactory.getLog(SpoolBacklog.class);

	private final EventSpool spool;

	private final Clock clock;

	private final Duration maxAge;

	private final boolean cheapToList;

	private volatile Snapshot snapshot;

	/**
	 * @param spool the spool
	 * @param clock the time source
	 * @param maxAge how old a listing may grow before the figures read NaN
	 * @param cheapToList whether the spool may be listed when no replay pass lists it
	 * (only where that is cheap)
	 */
	public SpoolBacklog(EventSpool spool, Clock clock, Duration maxAge, boolean cheapToList) {
		this.spool = spool;
		this.clock = clock;
		this.maxAge = maxAge;
		this.cheapToList = cheapToList;
	}

	/** A backlog learned only from replay passes, for replayers nobody meters. */
	static SpoolBacklog fromPassesOnly(EventSpool spool) {
		return new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofDays(365), false);
	}

	/** Records a listing of the spool, oldest first, as it stands now. */
	public void observe(List<String> keys) {
		Instant oldest = keys.isEmpty() ? null : this.spool.writtenAt(keys.get(0));
		this.snapshot = new Snapshot(keys.size(), oldest, this.clock.millis());
	}

	/** A listing of the spool failed: the backlog is unknown until the next one. */
	public void unknown() {
		this.snapshot = null;
	}

	/**
	 * Lists the spool when that is cheap, for an instance whose replay passes do not
	 * (another holds the replay lock). Called on the replay task's thread, never a
	 * scrape's.
	 */
	void listIfCheap() {
		if (!this.cheapToList) {
			return;
		}
		try {
			list();
		}
		catch (IOException | RuntimeException ex) {
			unknown();
			logger.warn("Could not list the spool to report its backlog: " + ex);
		}
	}

	/** Lists the spool now, whatever that costs. */
	void list() throws IOException {
		observe(this.spool.keys());
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

	/** The last listing, {@code null} when none or too old to stand for the spool now. */
	private Snapshot current() {
		Snapshot current = this.snapshot;
		if (current == null || this.clock.millis() - current.takenAtMillis() > this.maxAge.toMillis()) {
			return null;
		}
		return current;
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
