package io.eventgateway.orchestrator.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;

/**
 * The outstanding leases of this orchestrator.
 *
 * <p>
 * Thread-safe: gRPC threads open leases, the response listener answers them, the sweeper
 * expires them.
 */
public class LeaseTable {

	private final Map<String, Lease> leases = new ConcurrentHashMap<>();

	private final Clock clock;

	private final AtomicLong expired = new AtomicLong();

	private final AtomicLong lateAnswers = new AtomicLong();

	private final AtomicLong renewed = new AtomicLong();

	public LeaseTable(Clock clock) {
		this.clock = clock;
	}

	/** Opens a lease over the tasks, ending after the timeout. */
	public Lease open(List<BufferedTask> tasks, Duration timeout) {
		Lease lease = new Lease(UUID.randomUUID().toString(), this.clock.instant().plus(timeout), tasks);
		this.leases.put(lease.id(), lease);
		return lease;
	}

	/**
	 * Claims the task at a position of a lease for an answer.
	 * @return the task, or {@code null} for an unknown or expired lease or a task already
	 * answered (a late or duplicate answer, which is counted and otherwise ignored)
	 */
	public BufferedTask answer(String leaseId, Position position) {
		Lease lease = this.leases.get(leaseId);
		BufferedTask task = (lease != null) ? lease.answer(position) : null;
		if (task == null) {
			this.lateAnswers.incrementAndGet();
			return null;
		}
		if (lease.isComplete()) {
			this.leases.remove(leaseId, lease);
		}
		return task;
	}

	/**
	 * Extends an open lease so that it ends {@code extension} from now (or keeps its
	 * deadline if that is later), for a worker whose batch takes longer than the lease
	 * timeout.
	 * @return the lease's deadline now, or empty when the lease is unknown or has already
	 * ended
	 */
	public Optional<Instant> renew(String leaseId, Duration extension) {
		Lease lease = this.leases.get(leaseId);
		if (lease == null || !lease.extendTo(this.clock.instant().plus(extension))) {
			return Optional.empty();
		}
		this.renewed.incrementAndGet();
		return Optional.of(lease.deadline());
	}

	/** Ends every lease whose deadline has passed and returns their unanswered tasks. */
	public List<BufferedTask> expireDue() {
		Instant now = this.clock.instant();
		List<BufferedTask> unanswered = new ArrayList<>();
		for (Lease lease : this.leases.values()) {
			List<BufferedTask> tasks = lease.expireIfDue(now);
			if (tasks != null) {
				this.leases.remove(lease.id(), lease);
				if (!tasks.isEmpty()) {
					this.expired.incrementAndGet();
				}
				unanswered.addAll(tasks);
			}
		}
		return unanswered;
	}

	/**
	 * When the oldest task of a priority under an open lease became ready
	 * ({@link io.eventgateway.orchestrator.buffer.BufferedTask#readyAt()}), or
	 * {@code null} when no open lease holds one. One pass over the open leases (not their
	 * tasks): a lease counts its tasks as opened until it completes or expires.
	 */
	public Instant oldestLeasedIngestTime(Priority priority) {
		Instant oldest = null;
		for (Lease lease : this.leases.values()) {
			Instant leased = lease.oldestIngested(priority);
			if (leased != null && (oldest == null || leased.isBefore(oldest))) {
				oldest = leased;
			}
		}
		return oldest;
	}

	/** Leases open now. */
	public int outstanding() {
		return this.leases.size();
	}

	/** Leases that ended with unanswered tasks, since start. */
	public long expiredCount() {
		return this.expired.get();
	}

	/** Successful renewals since start. */
	public long renewedCount() {
		return this.renewed.get();
	}

	/** Answers ignored because their lease had ended or the task was already answered. */
	public long lateAnswerCount() {
		return this.lateAnswers.get();
	}

}
