package io.eventgateway.bench.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.eventgateway.bench.chaos.ChaosLoad.Sent;
import io.eventgateway.bench.chaos.ProcessedLedger.Delivery;
import io.eventgateway.common.event.Priority;

/**
 * The checks after a chaos run, from the ledgers alone: nothing accepted is lost,
 * duplicates stay within what was in flight at the fault, poison events pass every retry
 * level into the dead-letter topic, and P30 meets its SLO again soon after the fault.
 */
final class ChaosVerdict {

	/**
	 * The reason a task's last attempt carries when its leases expired too often: when a
	 * fault holds up the answers (a broker partition leading the responses topic, say),
	 * the lease-expiry limit hands the task on, which at the last retry level is the
	 * dead-letter topic, at the right attempt. Only a fault may cause it.
	 */
	private static final Pattern LEASE_EXPIRY_HAND_OFF = Pattern.compile("lease expired \\d+ times");

	private static final long P30_SLO_MICROS = TimeUnit.SECONDS.toMicros(5);

	private final Map<String, Object> figures = new LinkedHashMap<>();

	private final List<String> failures = new ArrayList<>();

	private long lost;

	/**
	 * @param fault the fault injected
	 * @param settings how the run was shaped
	 * @param accepted what ingest accepted in the window of this fault
	 * @param sentCount how many events were offered in that window
	 * @param ledger every delivery to a worker
	 * @param deadLetters the dead-letter topic
	 * @param faultAtMicros when the fault began (epoch microseconds)
	 * @param recoveredAtMicros when every process was healthy again
	 * @param evidence what the injection saw beyond the ledgers
	 */
	ChaosVerdict(Fault fault, ChaosSettings settings, Map<String, Sent> accepted, long sentCount,
			ProcessedLedger ledger, DeadLetters deadLetters, long faultAtMicros, long recoveredAtMicros,
			FaultEvidence evidence) {
		long leaseMicros = TimeUnit.MILLISECONDS.toMicros(settings.leaseTimeout().toMillis());
		long poisonAccepted = 0;
		long inFlight = 0;
		long p30Missed = 0;
		long lastP30MissSent = Long.MIN_VALUE;
		List<String> poisonProblems = new ArrayList<>();
		for (Sent event : accepted.values()) {
			List<Delivery> deliveries = ledger.deliveries(event.id());
			boolean done = event.poison() ? deadLetters.contains(event.id()) : ledger.processed(event.id());
			if (!done) {
				this.lost++;
				if (this.lost <= 5) {
					this.failures.add("accepted event " + event.id() + " was neither processed nor dead-lettered");
				}
			}
			Delivery first = deliveries.isEmpty() ? null : deliveries.get(0);
			if (first != null && first.atMicros() > faultAtMicros - leaseMicros
					&& first.atMicros() <= recoveredAtMicros + leaseMicros) {
				// Leased, processed but perhaps not yet committed when the fault hit, or
				// leased while the cluster was still recovering.
				inFlight++;
			}
			if (first != null && first.priorityLevel() == Priority.P30.level()
					&& first.atMicros() - event.sentMicros() > P30_SLO_MICROS) {
				p30Missed++;
				lastP30MissSent = Math.max(lastP30MissSent, event.sentMicros());
			}
			if (event.poison()) {
				poisonAccepted++;
				checkPoison(fault, settings, event, deliveries, deadLetters, poisonProblems);
			}
		}
		long unexpected = 0;
		for (Sent event : accepted.values()) {
			String id = event.id();
			if (!event.poison() && deadLetters.contains(id)) {
				unexpected++;
				this.failures.add("healthy event " + id + " was dead-lettered: " + deadLetters.get(id).error());
			}
		}
		long duplicates = 0;
		for (String id : accepted.keySet()) {
			duplicates += ledger.duplicates(id) + Math.max(0, deadLetters.records(id) - 1);
		}
		// A fleet fault is an operation of several steps (a rolling restart, a scale, a
		// flip) or a restart on a crowded machine: P30 must be back within the bound of
		// the fleet being whole again, each rejoining replica's rebalance included.
		long boundFromMicros = fault.fleetOnly() ? recoveredAtMicros : faultAtMicros;
		String boundFrom = fault.fleetOnly() ? "every process was healthy again" : "the fault";
		double recoverySeconds = (lastP30MissSent == Long.MIN_VALUE) ? 0
				: Math.max(0, lastP30MissSent - boundFromMicros) / 1e6;
		this.figures.put("events offered", sentCount);
		this.figures.put("events accepted", (long) accepted.size());
		this.figures.put("accepted events lost", this.lost);
		this.figures.put("duplicate deliveries", duplicates);
		this.figures.put("in flight at the fault (duplicate bound)", inFlight);
		this.figures.put("poison events accepted", poisonAccepted);
		this.figures.put("poison events with wrong attempts or headers", (long) poisonProblems.size());
		this.figures.put("healthy events dead-lettered", unexpected);
		this.figures.put("P30 events over their 5 s SLO", p30Missed);
		this.figures.put("P30 within SLO again, seconds after " + boundFrom, recoverySeconds);
		this.figures.put("recovery of every process, seconds after the fault",
				(recoveredAtMicros - faultAtMicros) / 1e6);
		if (duplicates > inFlight) {
			this.failures.add(
					duplicates + " duplicate deliveries, more than the " + inFlight + " events in flight at the fault");
		}
		this.failures.addAll(poisonProblems.subList(0, Math.min(5, poisonProblems.size())));
		if (recoverySeconds > settings.p30RecoveryBound().toSeconds()) {
			this.failures.add("P30 missed its SLO until " + recoverySeconds + " s after " + boundFrom + " (bound "
					+ settings.p30RecoveryBound().toSeconds() + " s)");
		}
		if (accepted.isEmpty()) {
			this.failures.add("ingest accepted nothing: the run proves nothing");
		}
		if (evidence.unsettled() != null) {
			this.failures.add(0, evidence.unsettled());
		}
		checkForeignRecords(evidence, deadLetters);
		checkLiveness(evidence);
		if (fault == Fault.PROCESSOR_ERRORS) {
			this.figures.put("worker process kept (same pid, alive)", evidence.workerKept());
			if (!evidence.workerKept()) {
				this.failures.add("the worker process died or was replaced during the fault");
			}
		}
		if (fault == Fault.SLOW_WORKER) {
			Double poisoned = evidence.growth(FaultEvidence.TASKS_POISONED);
			this.figures.put("tasks poisoned by expired leases", (poisoned != null) ? poisoned : "unread");
			if (poisoned == null || poisoned > 0) {
				this.failures.add((poisoned == null) ? "could not read " + FaultEvidence.TASKS_POISONED
						: poisoned.longValue() + " slow tasks were taken for poison after their leases expired");
			}
		}
		if (fault == Fault.BIG_EVENTS) {
			checkLeaseExpiries(evidence);
		}
		this.figures.putAll(evidence.notes());
		this.failures.addAll(evidence.problems());
		if (evidence.spoolWatched()) {
			checkNoSpool(evidence);
		}
		if (fault == Fault.ROLLOUT_FLIP) {
			checkFleetOfCluster(evidence, accepted);
		}
	}

	/**
	 * With replicated topics a broker's death is the brokers' business: no event may have
	 * needed the publishers' spool or failed-writes topic, and no spool file may be left.
	 */
	private void checkNoSpool(FaultEvidence evidence) {
		Double spooled = evidence.publisherGrowth(FaultEvidence.SPOOLED);
		Double failedWrites = evidence.publisherGrowth(FaultEvidence.FAILED_WRITES);
		this.figures.put("events the publishers spooled", (spooled != null) ? spooled.longValue() : "unread");
		this.figures.put("events the publishers sent to failed writes",
				(failedWrites != null) ? failedWrites.longValue() : "unread");
		this.figures.put("spool files left", evidence.spoolFilesAfter());
		if (spooled == null || failedWrites == null) {
			this.failures
				.add("could not read the publishers' " + FaultEvidence.SPOOLED + " or " + FaultEvidence.FAILED_WRITES);
		}
		else if (spooled > 0 || failedWrites > 0) {
			this.failures.add(spooled.longValue() + " events needed the spool and " + failedWrites.longValue()
					+ " the failed-writes topic: the replicas did not cover the broker's death");
		}
		if (evidence.spoolFilesAfter() > 0) {
			this.failures.add(evidence.spoolFilesAfter() + " files left in the publishers' spools");
		}
	}

	/**
	 * Every event that landed on the rollout cluster was processed by the rollout fleet
	 * and never by the primary's, every other event never by the rollout fleet; and the
	 * flip moved some events at all.
	 */
	private void checkFleetOfCluster(FaultEvidence evidence, Map<String, Sent> accepted) {
		Set<String> landed = evidence.landedOnRollout();
		ProcessedLedger primary = evidence.primaryLedger();
		ProcessedLedger rollout = evidence.rolloutLedger();
		if (landed == null || primary == null || rollout == null) {
			this.failures.add("the rollout cluster and the fleets' ledgers were not read");
			return;
		}
		long onRollout = 0;
		long wrongFleet = 0;
		List<String> examples = new ArrayList<>();
		for (Sent event : accepted.values()) {
			boolean rolledOut = landed.contains(event.id());
			ProcessedLedger own = rolledOut ? rollout : primary;
			ProcessedLedger other = rolledOut ? primary : rollout;
			onRollout += rolledOut ? 1 : 0;
			// An event no fleet processed is lost, which the check above reports.
			if (other.contains(event.id())) {
				wrongFleet++;
				if (examples.size() < 5) {
					examples.add("event " + event.id() + " landed on the " + (rolledOut ? "rollout" : "primary")
							+ " cluster but " + (own.contains(event.id()) ? "was also" : "was only")
							+ " processed by the other fleet");
				}
			}
		}
		this.figures.put("events landed on the rollout cluster", onRollout);
		this.figures.put("events processed by the fleet of the other cluster", wrongFleet);
		if (onRollout == 0) {
			this.failures.add("no accepted event landed on the rollout cluster: the flip moved nothing");
		}
		if (wrongFleet > 0) {
			this.failures.add(wrongFleet + " events not processed by the fleet of their cluster");
			this.failures.addAll(examples);
		}
	}

	/**
	 * Every foreign record on a source topic must be in the dead-letter topic, found by
	 * where it was written (the orchestrator's origin headers), keyed as it was and
	 * naming an error.
	 */
	private void checkForeignRecords(FaultEvidence evidence, DeadLetters deadLetters) {
		if (evidence.foreign().isEmpty()) {
			return;
		}
		long onSources = 0;
		long found = 0;
		List<String> problems = new ArrayList<>();
		for (ForeignRecords.Written written : evidence.foreign()) {
			if (!written.source()) {
				continue;
			}
			onSources++;
			DeadLetters.DeadLetter letter = deadLetters.at(written.at());
			if (letter == null) {
				problems.add("foreign record " + written.key() + " (" + written.kind() + ") at " + written.at()
						+ " is not in the dead-letter topic");
				continue;
			}
			found++;
			if (!written.key().equals(letter.key())) {
				problems.add("the dead letter of " + written.key() + " at " + written.at() + " is keyed '"
						+ letter.key() + "'");
			}
			if (letter.error() == null || letter.error().isBlank()) {
				problems.add("the dead letter of " + written.key() + " at " + written.at() + " names no error");
			}
		}
		this.figures.put("foreign records written", (long) evidence.foreign().size());
		this.figures.put("foreign records on source topics", onSources);
		this.figures.put("foreign records found in the dead-letter topic", found);
		if (!problems.isEmpty()) {
			this.failures.add(problems.size() + " problems with foreign records, first: " + problems.get(0));
			this.failures.addAll(problems.subList(1, Math.min(5, problems.size())));
		}
	}

	/** A watched role must answer its liveness probe UP throughout. */
	private void checkLiveness(FaultEvidence evidence) {
		for (LivenessWatch watch : evidence.watches()) {
			String role = watch.role().name().toLowerCase(Locale.ROOT);
			this.figures.put(role + " liveness probes not UP", watch.downCount() + " of " + watch.probes());
			if (watch.downCount() > 0) {
				this.failures.add(role + " liveness DOWN in " + watch.downCount() + " of " + watch.probes()
						+ " probes; first: " + watch.down().get(0));
			}
		}
	}

	/**
	 * No lease-expiry storm: with no process fault a healthy worker answers every lease,
	 * so at most one lease per fetch loop may expire (a pause of a JVM on a crowded
	 * machine); more means the same tasks are leased and lost over and over.
	 */
	private void checkLeaseExpiries(FaultEvidence evidence) {
		Double expired = evidence.growth(FaultEvidence.LEASES_EXPIRED);
		this.figures.put("leases expired from the fault until settled (bound)",
				((expired != null) ? String.valueOf(expired.longValue()) : "unread") + " (≤ "
						+ ChaosCluster.WORKER_LOOPS + ")");
		if (expired == null) {
			this.failures.add("could not read " + FaultEvidence.LEASES_EXPIRED);
		}
		else if (expired > ChaosCluster.WORKER_LOOPS) {
			this.failures.add(expired.longValue() + " leases expired, more than the worker's "
					+ ChaosCluster.WORKER_LOOPS + " fetch loops hold at once");
		}
	}

	private static void checkPoison(Fault fault, ChaosSettings settings, Sent event, List<Delivery> deliveries,
			DeadLetters deadLetters, List<String> problems) {
		int attempts = settings.retryLevels() + 1;
		long distinctAttempts = deliveries.stream().mapToInt(Delivery::attempt).distinct().count();
		DeadLetters.DeadLetter letter = deadLetters.get(event.id());
		if (distinctAttempts != attempts) {
			problems.add("poison event " + event.id() + " was tried at " + distinctAttempts + " attempt numbers, not "
					+ attempts);
		}
		else if (fault == Fault.POISON && deliveries.size() != attempts) {
			problems
				.add("poison event " + event.id() + " was delivered " + deliveries.size() + " times, not " + attempts);
		}
		if (letter != null && letter.attempts() != attempts) {
			problems.add("dead letter " + event.id() + " says " + letter.attempts() + " attempts, not " + attempts);
		}
		if (letter != null && !("IllegalStateException: poison " + event.id()).equals(letter.error())
				&& !(fault != Fault.POISON && LEASE_EXPIRY_HAND_OFF.matcher(letter.error()).matches())) {
			problems.add("dead letter " + event.id() + " has error header '" + letter.error() + "'");
		}
	}

	Map<String, Object> figures() {
		return this.figures;
	}

	/** What failed, empty when the run passed. */
	List<String> failures() {
		return this.failures;
	}

	long lost() {
		return this.lost;
	}

}
