package io.eventgateway.publisher.route;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.zip.CRC32;

/**
 * Decides per company whether its events go to the rollout cluster: companies whose
 * bucket, {@code CRC32(company_id) mod 100}, is below the rollout percentage do. A
 * company's bucket never changes, so raising the percentage only ever moves companies
 * towards the rollout cluster, and a company always lands on one cluster for a given
 * percentage.
 *
 * <p>
 * Thread-safe; the percentage is read on every call, so it may change at runtime.
 */
public class RolloutRouter {

	private final IntSupplier percentage;

	private final AtomicLong primaryCount = new AtomicLong();

	private final AtomicLong rolloutCount = new AtomicLong();

	/**
	 * @param percentage the share of buckets (0 to 100) routed to the rollout cluster
	 */
	public RolloutRouter(IntSupplier percentage) {
		this.percentage = percentage;
	}

	/** The bucket of a company, 0 to 99. */
	public static int bucket(String companyId) {
		CRC32 crc = new CRC32();
		crc.update(companyId.getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % 100);
	}

	/** The cluster the company's events go to now. */
	public Cluster route(String companyId) {
		Cluster cluster = (bucket(companyId) < this.percentage.getAsInt()) ? Cluster.ROLLOUT : Cluster.PRIMARY;
		(cluster == Cluster.ROLLOUT ? this.rolloutCount : this.primaryCount).incrementAndGet();
		return cluster;
	}

	/** Events routed to a cluster since start. */
	public long routedCount(Cluster cluster) {
		return (cluster == Cluster.ROLLOUT ? this.rolloutCount : this.primaryCount).get();
	}

	/** Where events are published. */
	public enum Cluster {

		/** The cluster the gateway normally writes to. */
		PRIMARY,

		/** The cluster traffic is being moved to. */
		ROLLOUT

	}

}
