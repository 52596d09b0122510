package io.eventgateway.worker.fleet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The orchestrator replicas a worker talks to: every address its
 * {@code gateway.worker.orchestrators} targets resolve to, one channel each.
 *
 * <p>
 * {@link #refresh()} resolves the targets again: a new address gets a channel at once; an
 * address no longer resolved stops being offered for fetches and its channel is shut down
 * only when nothing holds it any more, so a batch in progress keeps renewing its lease
 * with the replica that issued it. A target that fails to resolve keeps the addresses it
 * had, so a DNS hiccup does not drop live replicas.
 *
 * <p>
 * Fetch loops {@link #pick pick} a replica per fetch and hold it, through the returned
 * {@link Hold}, until the batch is answered.
 *
 * <p>
 * Thread-safe: fetch loops pick and release from their threads, discovery refreshes from
 * its own; the bookkeeping is guarded by this object's monitor, name resolution runs
 * outside it.
 */
public final class OrchestratorFleet implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OrchestratorFleet.class);

	private static final long CLOSE_GRACE_MILLIS = 5_000;

	private final List<OrchestratorTarget> targets;

	private final AddressResolver resolver;

	private final Function<InetSocketAddress, ManagedChannel> channels;

	private final Object refreshLock = new Object();

	/** What each target resolved to last time it resolved; used by refresh only. */
	private final Map<OrchestratorTarget, List<InetSocketAddress>> lastResolved = new HashMap<>();

	/** Every replica with a channel, retiring ones included. */
	private final Map<InetSocketAddress, OrchestratorReplica> replicas = new LinkedHashMap<>();

	/** The replicas offered for fetches, in a stable order. */
	private List<OrchestratorReplica> active = List.of();

	private boolean closed;

	/**
	 * @param targets the configured targets, at least one
	 * @param resolver resolves a target's host to all its addresses
	 * @param channels opens the channel to one address
	 */
	public OrchestratorFleet(List<OrchestratorTarget> targets, AddressResolver resolver,
			Function<InetSocketAddress, ManagedChannel> channels) {
		if (targets.isEmpty()) {
			throw new IllegalArgumentException(OrchestratorTarget.SETTING + " must name at least one orchestrator");
		}
		this.targets = List.copyOf(targets);
		this.resolver = resolver;
		this.channels = channels;
	}

	/** The configured targets. */
	public List<OrchestratorTarget> targets() {
		return this.targets;
	}

	/**
	 * Resolves every target again and brings the channels in line.
	 * @throws IllegalStateException naming the targets that did not resolve, after the
	 * others were applied
	 */
	public void refresh() {
		synchronized (this.refreshLock) {
			Set<InetSocketAddress> wanted = new LinkedHashSet<>();
			List<String> failures = new ArrayList<>();
			for (OrchestratorTarget target : this.targets) {
				try {
					List<InetSocketAddress> addresses = new ArrayList<>();
					for (InetAddress address : this.resolver.resolve(target.host())) {
						addresses.add(new InetSocketAddress(address, target.port()));
					}
					this.lastResolved.put(target, addresses);
				}
				catch (Exception ex) {
					failures.add(target + " (" + ex + ")");
				}
				wanted.addAll(this.lastResolved.getOrDefault(target, List.of()));
			}
			apply(wanted);
			if (!failures.isEmpty()) {
				throw new IllegalStateException("Could not resolve " + String.join(", ", failures) + " from "
						+ OrchestratorTarget.SETTING + "; keeping the addresses they had before");
			}
		}
	}

	private synchronized void apply(Set<InetSocketAddress> wanted) {
		if (this.closed) {
			return;
		}
		for (InetSocketAddress address : wanted) {
			OrchestratorReplica replica = this.replicas.get(address);
			if (replica == null) {
				replica = new OrchestratorReplica(address, this.channels.apply(address));
				this.replicas.put(address, replica);
				logger.info("Orchestrator replica " + replica + " added");
			}
			else if (replica.retiring) {
				replica.retiring = false;
				logger.info("Orchestrator replica " + replica + " resolved again; keeping its channel");
			}
			else if (replica.state() == ConnectivityState.TRANSIENT_FAILURE) {
				// A replica restarted at the same address would otherwise wait for the
				// channel's back-off, up to two minutes, before it is tried again.
				replica.channel().resetConnectBackoff();
			}
		}
		for (OrchestratorReplica replica : new ArrayList<>(this.replicas.values())) {
			if (!wanted.contains(replica.socketAddress()) && !replica.retiring) {
				replica.retiring = true;
				logger.info("Orchestrator replica " + replica + " no longer resolved; " + ((replica.holds > 0)
						? "its channel closes once its " + replica.holds + " fetches and leases in progress are done"
						: "closing its channel"));
				maybeShutDown(replica);
			}
		}
		this.active = this.replicas.values()
			.stream()
			.filter((replica) -> !replica.retiring)
			.sorted(Comparator.comparing(OrchestratorReplica::address))
			.toList();
	}

	/**
	 * Picks the replica to fetch from on a given turn, and holds it.
	 *
	 * <p>
	 * The turn selects a replica in rotation; from there the first one whose channel is
	 * READY or IDLE is taken, else the first one CONNECTING, and only when every one is
	 * failing, the first failing one, so that the caller's call fails fast and it backs
	 * off.
	 * @param turn the caller's rotation counter
	 * @param skip replicas not to pick (already tried for this fetch)
	 * @return the held replica, or {@code null} when none is known apart from those
	 * skipped
	 */
	public synchronized Hold pick(int turn, Set<OrchestratorReplica> skip) {
		List<OrchestratorReplica> candidates = this.active;
		int size = candidates.size();
		OrchestratorReplica best = null;
		int bestRank = Integer.MAX_VALUE;
		for (int i = 0; i < size && bestRank > 0; i++) {
			OrchestratorReplica replica = candidates.get(Math.floorMod(turn + i, size));
			if (skip.contains(replica)) {
				continue;
			}
			int rank = rank(replica.state());
			if (rank < bestRank) {
				best = replica;
				bestRank = rank;
			}
		}
		if (best == null) {
			return null;
		}
		best.holds++;
		return new Hold(best);
	}

	private static int rank(ConnectivityState state) {
		switch (state) {
			case READY:
			case IDLE:
				return 0;
			case CONNECTING:
				return 1;
			default:
				return 2;
		}
	}

	/** The replicas offered for fetches now. */
	public synchronized List<OrchestratorReplica> active() {
		return this.active;
	}

	/** Every replica with a channel, retiring ones included, with their bookkeeping. */
	public synchronized List<ReplicaState> replicas() {
		return this.replicas.values()
			.stream()
			.map((replica) -> new ReplicaState(replica, replica.retiring, replica.holds))
			.toList();
	}

	private synchronized void release(OrchestratorReplica replica) {
		replica.holds--;
		maybeShutDown(replica);
	}

	private void maybeShutDown(OrchestratorReplica replica) {
		if (replica.retiring && replica.holds == 0) {
			this.replicas.remove(replica.socketAddress());
			// Orderly: a renewal still in flight completes.
			replica.channel().shutdown();
			logger.info("Orchestrator replica " + replica + " closed");
		}
	}

	/** Shuts every channel down; fetch loops and renewals have stopped by now. */
	@Override
	public void close() {
		List<OrchestratorReplica> closing;
		synchronized (this) {
			this.closed = true;
			closing = new ArrayList<>(this.replicas.values());
			this.replicas.clear();
			this.active = List.of();
		}
		closing.forEach((replica) -> replica.channel().shutdown());
		long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
		for (OrchestratorReplica replica : closing) {
			try {
				replica.channel().awaitTermination(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			replica.channel().shutdownNow();
		}
	}

	/**
	 * A replica held for one fetch and the lease it returns; closing it (once is enough)
	 * lets a retired replica's channel close.
	 */
	public final class Hold implements AutoCloseable {

		private final OrchestratorReplica replica;

		private boolean released;

		private Hold(OrchestratorReplica replica) {
			this.replica = replica;
		}

		/** The replica held. */
		public OrchestratorReplica replica() {
			return this.replica;
		}

		@Override
		public void close() {
			synchronized (OrchestratorFleet.this) {
				if (this.released) {
					return;
				}
				this.released = true;
			}
			release(this.replica);
		}

	}

	/**
	 * One replica's bookkeeping at a moment.
	 *
	 * @param replica the replica
	 * @param retiring no longer resolved, waiting for its holds to end
	 * @param holds fetches and leases in progress over its channel
	 */
	public record ReplicaState(OrchestratorReplica replica, boolean retiring, int holds) {
	}

}
