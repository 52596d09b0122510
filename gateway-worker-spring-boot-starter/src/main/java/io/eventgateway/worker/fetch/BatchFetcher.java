package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.worker.fleet.OrchestratorFleet;
import io.eventgateway.worker.fleet.OrchestratorReplica;
import io.eventgateway.worker.fleet.ReplicaRotation;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * Fetches one loop's batches: each FetchTasks call goes to the next replica of the loop's
 * {@link ReplicaRotation}, and calls may be started ahead of the batch the loop works on
 * ({@link #fetchAhead}), so that the loop finds its next batch waiting when it has
 * answered the current one instead of idling through a call.
 *
 * <p>
 * A batch is renewed from the moment it arrives (see {@link LeaseRenewer}), so that its
 * lease does not run out while it waits its turn; but a batch fetched ahead waits at most
 * {@code maxWait}: then it is handed back unprocessed, so that a batch in hand that takes
 * long does not keep the events behind it from the other workers. Once the loop stops,
 * the batches waiting ahead are handed back at once ({@link #handBackWaiting}), and so is
 * every batch fetched ahead that arrives later, whatever the loop is still doing. A
 * replica whose call fails is counted and logged and the fetch goes on to the next one,
 * so a replica that is down costs one failed call, not a back-off. Every call holds its
 * replica until its batch is answered, so that the replica's channel stays open for the
 * lease's renewals.
 *
 * <p>
 * One per fetch loop, used from its thread, except {@link #handBackWaiting} and
 * {@link #fetchAhead}, which the loop may leave to the renewal thread (see
 * {@link PrefetchTiming}): the calls ahead and the replica rotation are guarded by one
 * lock, never held while waiting for a call. The calls are asynchronous: gRPC threads
 * complete their futures and start the renewals of what arrived (and hand back what
 * arrives after the stop); the renewal thread times each batch's wait, and when it runs
 * out passes the hand back to {@link PrefetchReleases}, whose thread sends it: a blocked
 * answer producer must not hold up the renewals.
 */
final class BatchFetcher {

	private static final Log logger = LogFactory.getLog(BatchFetcher.class);

	private final ReplicaRotation orchestrators;

	private final LeaseRenewer renewer;

	private final WorkerStats stats;

	private final FetchTasksRequest request;

	private final Duration callTimeout;

	private final BooleanSupplier running;

	private final Duration maxWait;

	private final HandBack handBack;

	private final PrefetchReleases releases;

	/** Guards {@link #ahead}, {@link #draining} and the replica rotation. */
	private final Object lock = new Object();

	/** Calls started and not yet taken, oldest first. */
	private final Deque<Call> ahead = new ArrayDeque<>();

	/** Set once the loop drains its calls as it ends: none is started ahead after it. */
	private boolean draining;

	/** Batches fetched ahead that arrived and nobody has claimed yet. */
	private final Set<Fetched> waiting = ConcurrentHashMap.newKeySet();

	/**
	 * @param orchestrators the replicas to fetch from, in turn
	 * @param renewer renews the lease of each batch from its arrival
	 * @param stats where calls are counted
	 * @param request the FetchTasks request every call sends
	 * @param callTimeout how long one call may take, its wait for tasks included
	 * @param running whether the loop still runs; a failed call is not tried again on
	 * another replica once it does not, and a batch fetched ahead is handed back as it
	 * arrives
	 * @param maxWait how long a batch fetched ahead may wait for the loop before it is
	 * handed back
	 * @param handBack answers a batch unprocessed, from any thread
	 * @param releases where a batch that waited too long is handed back, off the renewal
	 * thread
	 */
	BatchFetcher(ReplicaRotation orchestrators, LeaseRenewer renewer, WorkerStats stats, FetchTasksRequest request,
			Duration callTimeout, BooleanSupplier running, Duration maxWait, HandBack handBack,
			PrefetchReleases releases) {
		this.orchestrators = orchestrators;
		this.renewer = renewer;
		this.stats = stats;
		this.request = request;
		this.callTimeout = callTimeout;
		this.running = running;
		this.maxWait = maxWait;
		this.handBack = handBack;
		this.releases = releases;
	}

	/**
	 * Starts calls until {@code count} are ahead of the batch in hand; none when no
	 * replica is known (the next {@link #take()} says so), nor once the loop drains its
	 * calls. Does not wait on the network: the calls are asynchronous.
	 * @param count how many batches to have on the way
	 */
	void fetchAhead(int count) {
		fetchAhead(count, () -> true);
	}

	/**
	 * {@link #fetchAhead(int)}, if still wanted: asked under the same lock as the loop
	 * takes its next call, so a timed fetch that lost the race to the loop starts
	 * nothing.
	 * @param count how many batches to have on the way
	 * @param wanted whether the fetch is still wanted
	 */
	void fetchAhead(int count, BooleanSupplier wanted) {
		synchronized (this.lock) {
			if (!wanted.getAsBoolean()) {
				return;
			}
			while (!this.draining && this.ahead.size() < count) {
				OrchestratorFleet.Hold hold = this.orchestrators.next(Set.of());
				if (hold == null) {
					return;
				}
				this.ahead.add(start(hold, new HashSet<>(), true));
			}
		}
	}

	/** How many calls are ahead of the batch in hand. */
	int ahead() {
		synchronized (this.lock) {
			return this.ahead.size();
		}
	}

	/**
	 * The tasks of each call ahead, oldest first: what it brought once it answered, else
	 * the most it may bring.
	 */
	List<Integer> tasksAhead() {
		synchronized (this.lock) {
			List<Integer> tasks = new ArrayList<>(this.ahead.size());
			for (Call call : this.ahead) {
				CompletableFuture<Fetched> result = call.result;
				// A failed call is made again on another replica when taken.
				boolean answered = result.isDone() && !result.isCompletedExceptionally();
				tasks.add(answered ? result.join().batch().getTasksCount() : this.request.getMaxTasks());
			}
			return tasks;
		}
	}

	/**
	 * The next batch: the oldest call ahead whose batch was not handed back meanwhile, or
	 * a call started now when none is; a call that fails is made again on the next
	 * replica that has not failed it.
	 * @return the batch, its replica held and its lease renewed; close it once answered
	 * @throws InterruptedException when interrupted while waiting; the call stays ahead
	 * @throws RuntimeException the last replica's failure when none answered, an
	 * {@link IllegalStateException} when no replica is known, or a
	 * {@link CancellationException} when the loop stopped and the batches fetched ahead
	 * were handed back
	 */
	Fetched take() throws InterruptedException {
		while (true) {
			Fetched fetched = next();
			if (fetched.claim()) {
				this.waiting.remove(fetched);
				return fetched;
			}
			// Handed back meanwhile: its wait ran out, or the loop is stopping.
			if (!this.running.getAsBoolean() && ahead() == 0) {
				throw new CancellationException("The loop stopped; the batches fetched ahead were handed back");
			}
		}
	}

	private Fetched next() throws InterruptedException {
		Call call = nextCall();
		while (true) {
			try {
				return call.result.get();
			}
			catch (InterruptedException ex) {
				// Still on its way: the next take() waits for it again.
				synchronized (this.lock) {
					this.ahead.addFirst(call);
				}
				throw ex;
			}
			catch (ExecutionException ex) {
				RuntimeException failure = failure(ex.getCause());
				OrchestratorReplica replica = failed(call);
				call.tried.add(replica);
				OrchestratorFleet.Hold next = (this.running.getAsBoolean() && failure instanceof StatusRuntimeException)
						? hold(call.tried) : null;
				if (next == null) {
					throw failure;
				}
				logger.warn("FetchTasks from orchestrator replica " + replica + " failed ("
						+ Status.fromThrowable(failure) + "); fetching from " + next.replica() + " instead");
				call = start(next, call.tried, false);
			}
		}
	}

	/** The oldest call ahead, or one started now when none is. */
	private Call nextCall() {
		synchronized (this.lock) {
			Call call = this.ahead.poll();
			if (call != null) {
				return call;
			}
			OrchestratorFleet.Hold hold = this.orchestrators.next(Set.of());
			if (hold == null) {
				throw new IllegalStateException("No orchestrator replica known: none of "
						+ this.orchestrators.fleet().targets() + " (gateway.worker.orchestrators) has resolved yet");
			}
			return start(hold, new HashSet<>(), false);
		}
	}

	/** The next replica not tried yet, held; {@code null} when none is left. */
	private OrchestratorFleet.@Nullable Hold hold(Set<OrchestratorReplica> tried) {
		synchronized (this.lock) {
			return this.orchestrators.next(tried);
		}
	}

	/**
	 * Hands back, at once, every batch fetched ahead that has arrived and waits; called
	 * as the loop stops (from any thread), before the batch in hand is finished, so that
	 * these batches are answered while the worker can still write answers. Batches
	 * fetched ahead that arrive later are handed back as they arrive.
	 * @param why the reason sent with each task
	 */
	void handBackWaiting(String why) {
		for (Fetched fetched : this.waiting) {
			handBackIfFree(fetched, why, "stopping");
		}
	}

	/**
	 * Hands back a batch whose wait ran out; called on the renewal thread, which must not
	 * block, so the hand-back itself (an answer, which may wait on the producer) is sent
	 * from the release thread.
	 */
	private void releaseAfterWait(Fetched fetched) {
		String why = "it waited longer than " + this.maxWait + " (gateway.worker.prefetch-hold) for the batch before"
				+ " it";
		this.releases.submit(fetched.batch().getLeaseId(), () -> handBackIfFree(fetched, why, "waited-too-long"));
	}

	/** Hands a batch fetched ahead back, unless someone claimed it already. */
	private void handBackIfFree(Fetched fetched, String why, String reason) {
		if (!fetched.claim()) {
			return;
		}
		this.waiting.remove(fetched);
		this.stats.prefetchHandedBack(reason);
		this.handBack.handBack(fetched, why);
	}

	/**
	 * Waits for every call still ahead and returns what they fetched, for the loop to
	 * hand back as it stops; a call that fails leased nothing and is left out, and so is
	 * a batch handed back already (on its arrival after the stop, as a rule). Each call
	 * ends by its deadline, so this ends too; an interrupt is kept for the caller.
	 * @return the batches that arrived and are left to answer, empty ones included,
	 * oldest first
	 */
	List<Fetched> drain() {
		List<Fetched> fetched = new ArrayList<>();
		boolean interrupted = false;
		synchronized (this.lock) {
			this.draining = true;
		}
		Call call;
		while ((call = pollAhead()) != null) {
			while (true) {
				try {
					Fetched arrived = call.result.get();
					// Not when it was handed back already.
					if (arrived.claim()) {
						this.waiting.remove(arrived);
						fetched.add(arrived);
					}
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					failed(call);
					break;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return fetched;
	}

	private @Nullable Call pollAhead() {
		synchronized (this.lock) {
			return this.ahead.poll();
		}
	}

	/** Counts a failed call and lets its replica go. */
	private OrchestratorReplica failed(Call call) {
		OrchestratorReplica replica = call.hold.replica();
		call.hold.close();
		this.stats.fetched(replica.tag(), "failed");
		return replica;
	}

	private static RuntimeException failure(Throwable cause) {
		return (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
	}

	private Call start(OrchestratorFleet.Hold hold, Set<OrchestratorReplica> tried, boolean fetchedAhead) {
		Call call = new Call(hold, tried, fetchedAhead);
		try {
			// The call may legitimately wait maxWait for work; the timeout allows for
			// that plus network time.
			hold.replica()
				.asyncStub()
				.withDeadlineAfter(this.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.fetchTasks(this.request, call);
		}
		catch (RuntimeException ex) {
			call.result.completeExceptionally(ex);
		}
		return call;
	}

	/** Answers a batch unprocessed. */
	@FunctionalInterface
	interface HandBack {

		/**
		 * Answers every task of the batch RELEASE and closes it; never throws.
		 * @param fetched the batch, claimed
		 * @param why the reason sent with each task
		 */
		void handBack(Fetched fetched, String why);

	}

	/**
	 * One FetchTasks call, completed on a gRPC thread.
	 */
	private final class Call implements StreamObserver<FetchTasksResponse> {

		private final OrchestratorFleet.Hold hold;

		/** Replicas that failed this fetch already, not asked again for it. */
		private final Set<OrchestratorReplica> tried;

		/** Started ahead of the batch in hand, not for a loop waiting on it. */
		private final boolean fetchedAhead;

		private final CompletableFuture<Fetched> result = new CompletableFuture<>();

		private volatile FetchTasksResponse response = FetchTasksResponse.getDefaultInstance();

		private Call(OrchestratorFleet.Hold hold, Set<OrchestratorReplica> tried, boolean fetchedAhead) {
			this.hold = hold;
			this.tried = tried;
			this.fetchedAhead = fetchedAhead;
		}

		@Override
		public void onNext(FetchTasksResponse batch) {
			this.response = batch;
		}

		@Override
		public void onError(Throwable failure) {
			this.result.completeExceptionally(failure);
		}

		@Override
		public void onCompleted() {
			FetchTasksResponse batch = this.response;
			OrchestratorReplica replica = this.hold.replica();
			try {
				// Empty answers carry the index too, so an idle replica is tagged by it.
				replica.reported(batch.getReplicaIndex());
				BatchFetcher.this.stats.fetched(replica.tag(), (batch.getTasksCount() > 0) ? "tasks" : "empty");
			}
			catch (RuntimeException ex) {
				// Bookkeeping only: the batch is leased all the same and must be
				// answered.
				logger.warn("Could not record the batch leased under " + batch.getLeaseId() + " from " + replica, ex);
			}
			if (batch.getTasksCount() == 0) {
				this.result.complete(new Fetched(this.hold, batch, null));
				return;
			}
			Fetched fetched = new Fetched(this.hold, batch, renewal(replica, batch));
			if (this.fetchedAhead) {
				BatchFetcher.this.waiting.add(fetched);
				fetched.waitEnd(
						BatchFetcher.this.renewer.schedule(() -> releaseAfterWait(fetched), BatchFetcher.this.maxWait));
				// After it is listed as waiting: either this sees the stop, or the stop
				// sees
				// the batch waiting.
				if (!BatchFetcher.this.running.getAsBoolean()) {
					handBackIfFree(fetched, "the worker is stopping", "stopping");
				}
			}
			this.result.complete(fetched);
		}

		/**
		 * Starts renewing the lease from now, not from when the loop gets to the batch;
		 * {@code null} when renewals cannot start (the worker is shutting down, say): the
		 * batch is answered all the same, and its lease takes its course meanwhile.
		 */
		private LeaseRenewer.@Nullable Renewal renewal(OrchestratorReplica replica, FetchTasksResponse batch) {
			try {
				return BatchFetcher.this.renewer.start(replica.asyncStub(), batch.getLeaseId(),
						ProtoTime.instant(batch.getLeaseDeadline()), BatchFetcher.this.maxWait);
			}
			catch (RuntimeException ex) {
				BatchFetcher.this.stats.renewal("not-started");
				logger.error("Could not start renewing the lease " + batch.getLeaseId() + "; its batch is answered"
						+ " without renewals", ex);
				return null;
			}
		}

	}

}
