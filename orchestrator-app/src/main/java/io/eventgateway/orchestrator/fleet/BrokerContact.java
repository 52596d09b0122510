package io.eventgateway.orchestrator.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * When this orchestrator last reached its Kafka cluster, and whether that is so long ago
 * that it must fence itself: past {@code fence-after} the consumer group may already have
 * given its partitions to another replica, so a lease handed out now could never be
 * settled.
 *
 * <p>
 * Thread-safe: the {@link BrokerContactProbe} reports contact; consumer threads, gRPC
 * threads, the flow-control emitter and health ask {@link #isFenced()}. Engaging and
 * releasing the fence are logged once each, and engagements counted.
 */
public class BrokerContact {

	private static final Log logger = LogFactory.getLog(BrokerContact.class);

	private final Clock clock;

	private final Supplier<Duration> fenceAfter;

	private final AtomicBoolean fenced = new AtomicBoolean();

	private final AtomicLong fencings = new AtomicLong();

	private volatile Instant lastContact;

	private volatile boolean everContacted;

	/** Whether the probe runs: before it does, silence proves nothing. */
	private volatile boolean probing;

	/**
	 * @param clock the time source
	 * @param fenceAfter how long without contact before fencing, read on every check (a
	 * hot setting)
	 */
	public BrokerContact(Clock clock, Supplier<Duration> fenceAfter) {
		this.clock = clock;
		this.fenceAfter = fenceAfter;
		// A replica that never reached its cluster is fenced only after fence-after too.
		this.lastContact = clock.instant();
	}

	/** Records a successful contact with the cluster now. */
	public void contacted() {
		this.everContacted = true;
		this.lastContact = this.clock.instant();
	}

	/**
	 * Starts the silence now if the cluster was never reached: the time a slow start took
	 * before the probe ran says nothing about the cluster, and must not fence a replica
	 * that has not yet asked.
	 */
	public void probingStarts() {
		if (!this.everContacted) {
			this.lastContact = this.clock.instant();
		}
		this.probing = true;
	}

	/**
	 * Whether the cluster has not been reached for longer than {@code fence-after}; the
	 * first call that sees a change logs it.
	 */
	public boolean isFenced() {
		if (!this.probing) {
			return false;
		}
		Duration silence = silence();
		boolean fencedNow = silence.compareTo(this.fenceAfter.get()) > 0;
		if (this.fenced.compareAndSet(!fencedNow, fencedNow)) {
			if (fencedNow) {
				this.fencings.incrementAndGet();
				logger.error("No contact with the Kafka cluster for " + silence.toSeconds() + "s (fence-after "
						+ this.fenceAfter.get() + "): fencing this orchestrator. It leases no tasks, drops its "
						+ "unleased ones and leaves its sources without committing until the cluster answers again");
			}
			else {
				logger.warn("The Kafka cluster answers again: lifting the fence; the sources rejoin their groups");
			}
		}
		return fencedNow;
	}

	/** When the cluster was last reached (the start, before the first contact). */
	public Instant lastContact() {
		return this.lastContact;
	}

	/** How long since the cluster was last reached. */
	public Duration silence() {
		return Duration.between(this.lastContact, this.clock.instant());
	}

	/** How often the fence engaged since start. */
	public long fencings() {
		return this.fencings.get();
	}

}
