package io.eventgateway.bench.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a fault's injection saw beyond the ledgers, for its verdict: the foreign records
 * it wrote, the liveness of the roles it watched, the worker's process id, and meters of
 * the orchestrator read before the fault and after the window settled.
 *
 * <p>
 * Written by the harness thread (the liveness watches keep their own answers); read after
 * {@link #close}.
 */
final class FaultEvidence {

	/** Leases that ended with unanswered tasks. */
	static final String LEASES_EXPIRED = "gateway.orchestrator.leases.expired";

	/** Tasks sent down the retry path because their leases kept expiring. */
	static final String TASKS_POISONED = "gateway.orchestrator.tasks.poisoned";

	private static final Pattern COUNT = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([-0-9.Ee+]+)");

	private final List<ForeignRecords.Written> foreign = new ArrayList<>();

	private final List<LivenessWatch> watches = new ArrayList<>();

	private final Map<String, Double> metersBefore = new LinkedHashMap<>();

	private final Map<String, Double> metersAfter = new LinkedHashMap<>();

	private long workerPidAtFault = -1;

	private long workerPidAfter = -1;

	private boolean workerAliveAfter;

	private @Nullable String unsettled;

	private boolean closed;

	void foreign(List<ForeignRecords.Written> written) {
		this.foreign.addAll(written);
	}

	List<ForeignRecords.Written> foreign() {
		return this.foreign;
	}

	/** Probes the liveness of these roles from now until the window has settled. */
	void watchLiveness(ChaosCluster cluster, Role... roles) {
		for (Role role : roles) {
			this.watches.add(new LivenessWatch(cluster.role(role)).start());
		}
	}

	List<LivenessWatch> watches() {
		return this.watches;
	}

	/**
	 * Notes the worker's process now, to tell after the window whether it was restarted
	 * or died.
	 */
	void watchWorkerProcess(ChaosCluster cluster) {
		this.workerPidAtFault = cluster.role(Role.WORKER).pid();
	}

	/**
	 * Whether the worker is the same live process as at the fault; true if not watched.
	 */
	boolean workerKept() {
		return this.workerPidAtFault < 0 || (this.workerAliveAfter && this.workerPidAfter == this.workerPidAtFault);
	}

	/** Reads the orchestrator's counters now, to compare with their values after. */
	void watchMeters(ChaosCluster cluster) throws InterruptedException {
		for (String meter : List.of(LEASES_EXPIRED, TASKS_POISONED)) {
			this.metersBefore.put(meter, count(cluster, meter));
		}
	}

	/**
	 * How much a watched counter grew from the fault until the window settled, or
	 * {@code null} when it was not watched or could not be read.
	 */
	@Nullable Double growth(String meter) {
		Double before = this.metersBefore.get(meter);
		Double after = this.metersAfter.get(meter);
		return (before == null || after == null || before.isNaN() || after.isNaN()) ? null : after - before;
	}

	/** Why the events of this window never all came through, or {@code null}. */
	@Nullable String unsettled() {
		return this.unsettled;
	}

	void unsettled(String reason) {
		this.unsettled = reason;
	}

	/**
	 * Ends the watches and takes the readings after: call once the window has settled.
	 */
	void close(ChaosCluster cluster) throws InterruptedException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		for (LivenessWatch watch : this.watches) {
			watch.stop();
		}
		for (String meter : this.metersBefore.keySet()) {
			this.metersAfter.put(meter, count(cluster, meter));
		}
		RoleProcess worker = cluster.role(Role.WORKER);
		this.workerAliveAfter = worker.isAlive();
		this.workerPidAfter = worker.pid();
	}

	private static double count(ChaosCluster cluster, String meter) throws InterruptedException {
		RoleProcess.Answer answer = cluster.role(Role.ORCHESTRATOR).get("/actuator/metrics/" + meter);
		Matcher matcher = COUNT.matcher(answer.body());
		return (answer.ok() && matcher.find()) ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

}
