package io.eventgateway.worker.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc.EventsOrchestratorStub;
import io.eventgateway.proto.v1.RenewLeaseRequest;
import io.eventgateway.proto.v1.RenewLeaseResponse;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * Keeps the lease of a batch alive while the processor works on it, so that a batch
 * slower than the orchestrator's lease timeout is not served again (and, after a few
 * expiries, treated as poison).
 *
 * <p>
 * Each renewal extends the lease by its original length (as the worker saw it on
 * arrival), and renewals come every third of that length, so two in a row may fail before
 * the lease runs out. Renewal stops when the batch is answered, when the orchestrator
 * says the lease has ended, or once the batch has run for the processing-time cap: a hung
 * processor's events then go back to the gateway when the lease expires. A failed renewal
 * is logged and counted, never thrown.
 *
 * <p>
 * A batch fetched ahead, while the loop still processes the one before, is renewed from
 * its arrival, so that its lease does not run out while it waits, but only for as long as
 * it may wait (the prefetch hold, after which the loop hands it back): a batch in hand
 * that hangs must not keep the events waiting behind it leased for the whole
 * processing-time cap. The cap starts when its processing does
 * ({@link Renewal#processingStarts()}), and the loop asks {@link Renewal#lapsed()} before
 * processing it, so that events the gateway has taken back and served again are not
 * processed twice.
 *
 * <p>
 * Thread-safe: one instance per worker, shared by its fetch loops. Renewals are issued
 * from one daemon scheduler thread with the asynchronous stub, so a slow orchestrator
 * never holds up the renewals of other batches; nothing on that thread waits on Kafka
 * (see {@link #schedule}), so a blocked answer producer does not either.
 */
public class LeaseRenewer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

	/**
	 * The shortest lease length assumed: a deadline in the worker's past (clock skew, a
	 * missing deadline) still gets renewals, rather than none or a busy loop of them.
	 */
	static final Duration MIN_LEASE = Duration.ofSeconds(1);

	private final WorkerStats stats;

	private final Clock clock;

	private final Duration maxProcessingTime;

	private final ScheduledExecutorService scheduler;

	/**
	 * @param stats where renewals are counted
	 * @param clock the worker's clock
	 * @param maxProcessingTime how long one batch keeps its lease at most
	 */
	public LeaseRenewer(WorkerStats stats, Clock clock, Duration maxProcessingTime) {
		this.stats = stats;
		this.clock = clock;
		this.maxProcessingTime = maxProcessingTime;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "lease-renewer");
			// Never keeps the JVM up: renewals matter only while a loop processes.
			thread.setDaemon(true);
			return thread;
		});
		// Cancelled tasks (renewals of answered batches, timed fetches of batches that
		// ended early) leave the queue at once instead of when they would have run.
		scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler = scheduler;
	}

	/**
	 * Starts renewing a lease until {@link Renewal#close()}.
	 * @param issuer the asynchronous stub on the channel the lease came from, so that
	 * every renewal reaches the replica that issued it
	 * @param leaseId the lease of the batch
	 * @param leaseDeadline the deadline the orchestrator gave with the batch
	 * @param maxWait how long the batch may wait before its processing starts; renewals
	 * stop after that until {@link Renewal#processingStarts()}
	 * @return the renewal, to close as soon as the batch is answered
	 */
	public Renewal start(EventsOrchestratorStub issuer, String leaseId, Instant leaseDeadline, Duration maxWait) {
		Instant now = this.clock.instant();
		Duration remaining = Duration.between(now, leaseDeadline);
		Duration leaseLength = (remaining.compareTo(MIN_LEASE) < 0) ? MIN_LEASE : remaining;
		Renewal renewal = new Renewal(issuer, leaseId, leaseLength, now.plus(maxWait));
		renewal.scheduleNext();
		return renewal;
	}

	/**
	 * Runs a task once, after a delay, on the renewal thread; it must be quick and never
	 * block, since it holds up the renewals meanwhile: work that may wait on Kafka (an
	 * answer) belongs on another thread, such as {@link PrefetchReleases}'.
	 * @param task what to run
	 * @param delay when
	 * @return the scheduled task, to cancel; {@code null} once the renewer is closed (the
	 * worker is shutting down) and the task will not run
	 */
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		try {
			return this.scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/** Stops every renewal; the loops have stopped by now. */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	/**
	 * The renewals of one lease.
	 *
	 * <p>
	 * Thread-safe: closed by the fetch loop, run on the scheduler thread, completed on a
	 * gRPC thread.
	 */
	public final class Renewal implements AutoCloseable {

		private final EventsOrchestratorStub issuer;

		private final String leaseId;

		private final Duration leaseLength;

		private final Duration period;

		private volatile Instant giveUpAt;

		/** No more renewals: answered, given up, or the lease ended. */
		private volatile boolean closed;

		/** Closed by its owner: the batch is answered. */
		private volatile boolean answered;

		/** The orchestrator said the lease had ended. */
		private volatile boolean ended;

		/**
		 * Processing has started: {@link #giveUpAt} is the processing-time cap, no longer
		 * the end of the wait.
		 */
		private volatile boolean processing;

		private volatile ScheduledFuture<?> next;

		/** When the lease ends, as far as this worker knows (by its own clock). */
		private volatile Instant expiresAt;

		private Renewal(EventsOrchestratorStub issuer, String leaseId, Duration leaseLength, Instant giveUpAt) {
			this.issuer = issuer;
			this.leaseId = leaseId;
			this.leaseLength = leaseLength;
			this.period = leaseLength.dividedBy(3);
			this.giveUpAt = giveUpAt;
			this.expiresAt = LeaseRenewer.this.clock.instant().plus(leaseLength);
		}

		/**
		 * Starts the processing-time cap: the batch may have waited (fetched ahead) and
		 * its processing starts now. Renewals that stopped at the end of its wait start
		 * again, unless the lease has lapsed meanwhile.
		 */
		public synchronized void processingStarts() {
			this.processing = true;
			this.giveUpAt = LeaseRenewer.this.clock.instant().plus(LeaseRenewer.this.maxProcessingTime);
			if (this.closed && !this.answered && !lapsed()) {
				this.closed = false;
				scheduleNext();
			}
		}

		/**
		 * Whether the lease is over as far as this worker knows: the orchestrator said it
		 * ended, or its last known deadline (by the worker's clock) has passed. Its
		 * events are then served again, or about to be.
		 */
		public boolean lapsed() {
			return this.ended || !LeaseRenewer.this.clock.instant().isBefore(this.expiresAt);
		}

		/** Stops renewing: the batch is answered (or abandoned). */
		@Override
		public void close() {
			this.answered = true;
			this.closed = true;
			ScheduledFuture<?> pending = this.next;
			if (pending != null) {
				pending.cancel(false);
			}
		}

		private void scheduleNext() {
			if (this.closed) {
				return;
			}
			try {
				this.next = LeaseRenewer.this.scheduler.schedule(this::renew, this.period.toMillis(),
						TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// The worker is shutting down; the lease takes its course.
				this.closed = true;
			}
		}

		private void renew() {
			if (this.closed || giveUp()) {
				return;
			}
			Instant sentAt = LeaseRenewer.this.clock.instant();
			RenewLeaseRequest request = RenewLeaseRequest.newBuilder()
				.setLeaseId(this.leaseId)
				.setExtension(ProtoTime.duration(this.leaseLength))
				.build();
			// A call that has not answered by the next renewal is of no more use.
			this.issuer.withDeadlineAfter(Math.max(this.period.toMillis(), 1), TimeUnit.MILLISECONDS)
				.renewLease(request, new StreamObserver<>() {

					@Override
					public void onNext(RenewLeaseResponse response) {
						Renewal.this.expiresAt = sentAt.plus(Renewal.this.leaseLength);
						LeaseRenewer.this.stats.renewal("renewed");
					}

					@Override
					public void onError(Throwable failure) {
						renewalFailed(failure);
					}

					@Override
					public void onCompleted() {
					}

				});
			scheduleNext();
		}

		/**
		 * Stops renewing once the batch has waited as long as it may, or has been
		 * processed for the processing-time cap.
		 * @return whether renewing stopped
		 */
		private synchronized boolean giveUp() {
			if (this.closed || LeaseRenewer.this.clock.instant().isBefore(this.giveUpAt)) {
				return this.closed;
			}
			this.closed = true;
			if (!this.processing) {
				// Not an overtime of the processor: the loop hands the batch back as its
				// wait ends, and renewing it longer would only keep its events from
				// other workers.
				logger.debug("Batch under lease " + this.leaseId + " waited as long as it may; its lease is no"
						+ " longer renewed");
				return true;
			}
			LeaseRenewer.this.stats.overtime();
			logger.warn("Batch under lease " + this.leaseId + " has been held for longer than "
					+ LeaseRenewer.this.maxProcessingTime + " (gateway.worker.max-processing-time); its lease is"
					+ " no longer renewed, so its events go back to the gateway when it expires");
			return true;
		}

		private void renewalFailed(Throwable failure) {
			if (this.closed) {
				// Answered meanwhile (or shut down): the failure no longer matters.
				return;
			}
			Status status = Status.fromThrowable(failure);
			if (status.getCode() == Status.Code.NOT_FOUND
					&& LeaseRenewer.this.clock.instant().isBefore(this.expiresAt)) {
				// Renewals go over the channel the lease came from, so with a headless
				// service they reach the issuing replica and NOT_FOUND means the lease
				// ended. Kept as a guard for the cases where one address is not one
				// replica: a target that is a load-balanced virtual IP (a ClusterIP
				// service) can reconnect to another replica, and an address can be
				// reused by a new pod. Until the lease's known end, try again at the next
				// renewal; after it, the lease has ended either way.
				LeaseRenewer.this.stats.renewal("not-owner");
				return;
			}
			if (status.getCode() == Status.Code.NOT_FOUND) {
				// Its tasks may be with another worker now: renewing again cannot help.
				this.ended = true;
				this.closed = true;
				LeaseRenewer.this.stats.renewal("lease-ended");
				logger.warn("Lease " + this.leaseId + " ended before its batch was answered; its events are served"
						+ " again: " + status.getDescription());
				return;
			}
			LeaseRenewer.this.stats.renewal("failed");
			logger.warn("Renewing lease " + this.leaseId + " failed (" + status.getCode() + "); trying again in "
					+ this.period.toMillis() + " ms: " + status.getDescription());
		}

	}

}
