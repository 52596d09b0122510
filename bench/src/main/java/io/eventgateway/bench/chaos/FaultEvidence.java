package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

	/** Events the publishers refused to Kafka and wrote to their spool. */
	static final String SPOOLED = "gateway.publisher.captured?tag=destination:spool";

	/** Events the publishers refused to Kafka and wrote to the failed-writes topic. */
	static final String FAILED_WRITES = "gateway.publisher.captured?tag=destination:failed_writes";

	private static final int METER_ATTEMPTS = 3;

	private static final Duration METER_TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, Double> publishersBefore = new LinkedHashMap<>();

	private final Map<String, Double> publishersAfter = new LinkedHashMap<>();

	private final Map<String, Object> notes = new LinkedHashMap<>();

	private final List<String> problems = new ArrayList<>();

	private long spoolFilesAfter = -1;

	private boolean watchRollout;

	private @Nullable Set<String> landedOnRollout;

	private @Nullable ProcessedLedger primaryLedger;

	private @Nullable ProcessedLedger rolloutLedger;

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

	/** Reads the orchestrators' counters now, to compare with their values after. */
	void watchMeters(ChaosCluster cluster) throws InterruptedException {
		for (String meter : List.of(LEASES_EXPIRED, TASKS_POISONED)) {
			this.metersBefore.put(meter, sum(cluster.instances(Role.ORCHESTRATOR), meter));
		}
	}

	/**
	 * Reads the publishers' counters of events refused by Kafka now, and after the window
	 * the files left in their spools: a fault the brokers' replication covers must not
	 * need the failure chain at all.
	 */
	void watchSpool(ChaosCluster cluster) throws InterruptedException {
		for (String meter : List.of(SPOOLED, FAILED_WRITES)) {
			this.publishersBefore.put(meter, sum(cluster.instances(Role.PUBLISHER), meter));
		}
	}

	/**
	 * How much a publishers' counter grew from the fault until the window settled, or
	 * {@code null} when it was not watched or could not be read.
	 */
	@Nullable Double publisherGrowth(String meter) {
		Double before = this.publishersBefore.get(meter);
		Double after = this.publishersAfter.get(meter);
		return (before == null || after == null || before.isNaN() || after.isNaN()) ? null : after - before;
	}

	boolean spoolWatched() {
		return !this.publishersBefore.isEmpty();
	}

	/** Files in the publishers' spool folders once the window settled. */
	long spoolFilesAfter() {
		return this.spoolFilesAfter;
	}

	/**
	 * After the window, reads which events landed on the rollout cluster and each fleet's
	 * ledger, to check that every event was processed by the fleet of its cluster.
	 */
	void watchRollout() {
		this.watchRollout = true;
	}

	/**
	 * Event ids on the rollout cluster's source topics, or {@code null} if not watched.
	 */
	@Nullable Set<String> landedOnRollout() {
		return this.landedOnRollout;
	}

	@Nullable ProcessedLedger primaryLedger() {
		return this.primaryLedger;
	}

	@Nullable ProcessedLedger rolloutLedger() {
		return this.rolloutLedger;
	}

	/** Something the injection did that the verdict shows (the node it killed, say). */
	void note(String figure, Object value) {
		this.notes.put(figure, value);
	}

	Map<String, Object> notes() {
		return this.notes;
	}

	/** Something the injection saw go wrong, which fails the verdict. */
	void problem(String problem) {
		this.problems.add(problem);
	}

	List<String> problems() {
		return this.problems;
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
			this.metersAfter.put(meter, sum(cluster.instances(Role.ORCHESTRATOR), meter));
		}
		for (String meter : this.publishersBefore.keySet()) {
			this.publishersAfter.put(meter, sum(cluster.instances(Role.PUBLISHER), meter));
		}
		if (spoolWatched()) {
			this.spoolFilesAfter = spoolFiles(cluster);
		}
		if (this.watchRollout && cluster.rolloutBootstrapServers() != null) {
			List<String> sources = new ArrayList<>(cluster.topics().priorityTopics());
			sources.add(cluster.topics().offload());
			this.landedOnRollout = LandedEvents.read(cluster.rolloutBootstrapServers(), sources);
			try {
				this.primaryLedger = ProcessedLedger.read(cluster.ledgerFiles(ChaosCluster.PRIMARY));
				this.rolloutLedger = ProcessedLedger.read(cluster.ledgerFiles(ChaosCluster.ROLLOUT));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		RoleProcess worker = cluster.role(Role.WORKER);
		this.workerAliveAfter = worker.isAlive();
		this.workerPidAfter = worker.pid();
	}

	/**
	 * One statistic ({@code COUNT}, {@code TOTAL_TIME}, {@code MAX}, {@code VALUE}) of a
	 * meter of one process; NaN when it could not be read.
	 */
	static double read(RoleProcess process, String meter, String statistic) throws InterruptedException {
		RoleProcess.Answer answer = meter(process, meter);
		Matcher matcher = Pattern.compile("\"statistic\":\"" + statistic + "\",\"value\":([-0-9.Ee+]+)")
			.matcher(answer.body());
		return (answer.ok() && matcher.find()) ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

	/** A counter summed over instances; NaN when one could not be read. */
	private static double sum(List<RoleProcess> processes, String meter) throws InterruptedException {
		double total = 0;
		for (RoleProcess process : processes) {
			RoleProcess.Answer answer = meter(process, meter);
			Matcher matcher = COUNT.matcher(answer.body());
			if (!answer.ok() || !matcher.find()) {
				return Double.NaN;
			}
			total += Double.parseDouble(matcher.group(1));
		}
		return total;
	}

	/**
	 * A meter's answer, asked up to {@link #METER_ATTEMPTS} times with a patient timeout:
	 * a process starved of CPU by the fault next to it (a fleet of a dozen JVMs on two
	 * cores) may take seconds to answer, and an unread figure would fail the run.
	 */
	private static RoleProcess.Answer meter(RoleProcess process, String meter) throws InterruptedException {
		RoleProcess.Answer answer = null;
		for (int attempt = 0; attempt < METER_ATTEMPTS; attempt++) {
			answer = process.get("/actuator/metrics/" + meter, METER_TIMEOUT);
			if (answer.status() != 0) {
				return answer;
			}
		}
		return answer;
	}

	private static long spoolFiles(ChaosCluster cluster) {
		long files = 0;
		for (Path dir : cluster.spoolDirs()) {
			if (!Files.isDirectory(dir)) {
				continue;
			}
			try (Stream<Path> walk = Files.walk(dir)) {
				files += walk.filter(Files::isRegularFile).count();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return files;
	}

}
