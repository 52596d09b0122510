package io.eventgateway.orchestrator.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Asks the cluster to describe itself at a fraction of {@code fence-after} and reports
 * each answer to {@link BrokerContact}. A probe rather than the consumers' polls: a poll
 * returns (empty) whether or not a broker answered, and a fenced orchestrator's sources
 * do not poll at all, yet it must notice when the cluster is back.
 *
 * <p>
 * A probe that fails or times out is logged, counted and shown in health as a failed run
 * of the {@code broker-contact-probe} loop; the fence itself is {@link BrokerContact}'s
 * decision.
 */
public class BrokerContactProbe extends PeriodicTask implements AutoCloseable {

	/** The longest gap between two probes, whatever fence-after is. */
	private static final Duration MAX_INTERVAL = Duration.ofSeconds(5);

	private final Admin admin;

	private final BrokerContact contact;

	private final Supplier<Duration> fenceAfter;

	/**
	 * @param adminConfig the admin client's configuration (bootstrap servers, security)
	 * @param contact told of every answer
	 * @param fenceAfter how long without contact before fencing (a hot setting); probes
	 * run at a third of it, at most every five seconds
	 * @param monitor where the probe reports its runs
	 */
	public BrokerContactProbe(Map<String, Object> adminConfig, BrokerContact contact, Supplier<Duration> fenceAfter,
			LoopMonitor monitor) {
		super("broker-contact-probe", () -> interval(fenceAfter.get()), monitor);
		this.admin = Admin.create(adminConfig);
		this.contact = contact;
		this.fenceAfter = fenceAfter;
	}

	/**
	 * A third of fence-after, so that two probes may fail before it fences, at most 5s.
	 */
	static Duration interval(Duration fenceAfter) {
		Duration third = fenceAfter.dividedBy(3);
		return (third.compareTo(MAX_INTERVAL) > 0) ? MAX_INTERVAL : third;
	}

	@Override
	public synchronized void start() {
		this.contact.probingStarts();
		super.start();
	}

	@Override
	protected void runOnce() throws Exception {
		long timeoutMillis = Math.max(1, interval(this.fenceAfter.get()).toMillis());
		this.admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis))
			.clusterId()
			.get(timeoutMillis, TimeUnit.MILLISECONDS);
		this.contact.contacted();
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(2));
	}

}
