package io.eventgateway.publisher.produce;

import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The producers of the rollout cluster, replaced when the rollout target changes at
 * runtime: the new producers take over at once, then the old ones are closed, which
 * flushes what they still hold. A send that races the swap and meets a closed producer
 * fails into the failure chain, so nothing is lost.
 *
 * <p>
 * Thread-safe.
 */
public class RolloutProducers implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RolloutProducers.class);

	private final Function<String, ClusterProducers> factory;

	private volatile Target current;

	/**
	 * @param factory creates the producers of a cluster from its bootstrap address
	 * @param bootstrapServers the rollout cluster now; blank for none
	 */
	public RolloutProducers(Function<String, ClusterProducers> factory, String bootstrapServers) {
		this.factory = factory;
		this.current = target(bootstrapServers);
	}

	/**
	 * The rollout cluster's producers, or {@code null} when no rollout cluster is set.
	 */
	public ClusterProducers current() {
		return this.current.producers();
	}

	/**
	 * Points at another rollout cluster (blank for none); does nothing if it is the same
	 * one.
	 */
	public synchronized void retarget(String bootstrapServers) {
		Target previous = this.current;
		if (previous.bootstrapServers().equals(bootstrapServers.trim())) {
			return;
		}
		this.current = target(bootstrapServers);
		logger.info("Rollout cluster is now '" + bootstrapServers + "' (was '" + previous.bootstrapServers() + "')");
		if (previous.producers() != null) {
			previous.producers().close();
		}
	}

	@Override
	public synchronized void close() {
		if (this.current.producers() != null) {
			this.current.producers().close();
		}
	}

	private Target target(String bootstrapServers) {
		String address = bootstrapServers.trim();
		return new Target(address, address.isEmpty() ? null : this.factory.apply(address));
	}

	private record Target(String bootstrapServers, ClusterProducers producers) {
	}

}
