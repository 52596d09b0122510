package io.eventgateway.worker.fleet;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Resolves the orchestrator targets again every
 * {@code gateway.worker.discovery-interval}, so that a replica added by a scale-up gets
 * fetches within about one interval (plus the DNS cache's time to live) and a removed one
 * is let go.
 *
 * <p>
 * Starts before the fetch loops (a lower phase) with one resolution of its own, so the
 * loops find replicas from their first fetch; a failure of that one is logged, and the
 * periodic runs go on trying.
 */
public class OrchestratorDiscovery extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(OrchestratorDiscovery.class);

	private final OrchestratorFleet fleet;

	private final int phase;

	/**
	 * @param fleet the replicas to keep up to date
	 * @param interval the time between two resolutions
	 * @param monitor where runs are reported
	 * @param phase the lifecycle phase: below the fetch loops'
	 */
	public OrchestratorDiscovery(OrchestratorFleet fleet, Supplier<Duration> interval, LoopMonitor monitor, int phase) {
		super("orchestrator-discovery", interval, monitor);
		this.fleet = fleet;
		this.phase = phase;
	}

	@Override
	public synchronized void start() {
		try {
			this.fleet.refresh();
		}
		catch (RuntimeException ex) {
			logger.warn("Orchestrator discovery at start: " + ex.getMessage() + "; trying again every interval");
		}
		super.start();
	}

	@Override
	protected void runOnce() {
		this.fleet.refresh();
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
