package io.eventgateway.orchestrator.dlq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.orchestrator.dlq.RedriveLedger.Marker;
import io.eventgateway.orchestrator.dlq.RedriveLedger.State;
import io.eventgateway.orchestrator.dlq.RedriveOutcome.Status;
import io.eventgateway.proto.v1.Event;

/**
 * Writes selected dead letters back to their priority topic with the attempt count reset,
 * each at most once ever, or in a dry run reports what it would do.
 *
 * <p>
 * Target: the letter's origin topic ({@code gateway-original-topic}), which for an event
 * is the priority (or offload) topic it was first read from: the orchestrator copies the
 * origin onto every retry record, so a retry topic is never an event's origin. Where the
 * origin is a retry topic anyway, a delay topic, the offload topic (drained only when the
 * orchestrator idles, and the letter has waited long enough), or missing, the target is
 * the topic of the event's priority. The event keeps its id and gets {@code attempt} 0,
 * the count the orchestrator raises on each failure, and a new SLO deadline, {@code now}
 * plus its priority's SLO, as ingest stamps one: a redrive is a new admission, so a bulk
 * redrive of old P10 letters queues behind live P30 work instead of ahead of it. The
 * record carries none of the dead letter's retry headers (origin, attempts, error), so
 * the orchestrator treats it as a fresh read of that topic. An event dead-lettered more
 * than once (delivery is at least once) is redriven once per run, from its newest letter.
 *
 * <p>
 * Never twice: see {@link RedriveLedger}. The order per letter is claim marker (acked),
 * then a read of the claim's ledger partition up to the claim, going on only if no other
 * run held the letter just before it, then the event, then the confirming marker. When
 * the event was certainly not written (a claim or write refused, a claim that cannot be
 * checked) the run releases its claim, so the letter can be redriven again. A crash
 * between claim and write, or a write with no answer, leaves the letter claimed: it is
 * reported as already redriven until an operator checks the target for its event id and
 * releases it ({@link #release}). Writing the event before the marker could instead write
 * it twice; a Kafka transaction would need the orchestrators' consumers to read committed
 * records only, and a transaction coordinator log the test and single-broker setups do
 * not replicate.
 *
 * <p>
 * Thread-safe: each run uses clients of its own.
 */
public class DeadLetterRedriver {

	/** Header on a redriven record: the dead letter it came from, {@code topic:p:o}. */
	public static final String REDRIVEN_FROM = "gateway-redriven-from";

	private static final Log logger = LogFactory.getLog(DeadLetterRedriver.class);

	private final DeadLetterReader reader;

	private final RedriveLedger ledger;

	private final Supplier<Producer<String, byte[]>> producers;

	private final Supplier<Admin> admins;

	private final TopicLayout topics;

	private final Clock clock;

	private final IntConsumer redrivenMeter;

	private final Duration timeout;

	/**
	 * @param reader reads the dead letters
	 * @param ledger records redrives
	 * @param producers new producers of the cluster (acks=all)
	 * @param admins new admin clients of the cluster
	 * @param topics the topic layout
	 * @param clock stamps markers
	 * @param redrivenMeter told how many letters each run redrove
	 * @param timeout how long one write or cluster request may take
	 */
	public DeadLetterRedriver(DeadLetterReader reader, RedriveLedger ledger,
			Supplier<Producer<String, byte[]>> producers, Supplier<Admin> admins, TopicLayout topics, Clock clock,
			IntConsumer redrivenMeter, Duration timeout) {
		this.reader = reader;
		this.ledger = ledger;
		this.producers = producers;
		this.admins = admins;
		this.topics = topics;
		this.clock = clock;
		this.redrivenMeter = redrivenMeter;
		this.timeout = timeout;
	}

	/** Redrives (or in a dry run reports) the letters the filter selects. */
	public RedriveReport redrive(DeadLetterFilter filter, boolean dryRun) {
		return redrive(this.reader.select(filter), dryRun);
	}

	/**
	 * Redrives (or in a dry run reports) the letters at the positions
	 * ({@code partition:offset}) and the letters of the event ids.
	 */
	public RedriveReport redrive(LetterRefs refs, boolean dryRun) {
		return redrive(this.reader.select(refs), dryRun);
	}

	private RedriveReport redrive(List<StoredLetter> selected, boolean dryRun) {
		String run = UUID.randomUUID().toString();
		if (!dryRun) {
			this.ledger.ensureTopic();
		}
		Map<String, Marker> markers = this.ledger.markers();
		Set<String> existing = existingTopics();
		List<RedriveOutcome> outcomes = new ArrayList<>();
		List<Pending> pending = new ArrayList<>();
		Map<String, DeadLetter> newest = newestPerEvent(selected);
		for (StoredLetter stored : selected) {
			DeadLetter letter = stored.letter();
			DeadLetter kept = (letter.eventId() != null) ? newest.get(letter.eventId()) : letter;
			if (kept != letter) {
				outcomes.add(new RedriveOutcome(letter, Status.DUPLICATE, null,
						"event " + letter.eventId() + " is also at " + kept.id() + ", redriven from there"));
				continue;
			}
			Marker marker = markers.get(letter.id());
			if (marker != null) {
				outcomes.add(new RedriveOutcome(letter, Status.ALREADY_REDRIVEN, null,
						"already redriven (" + marker.state() + " by run " + marker.run() + ")"));
				continue;
			}
			if (stored.event() == null || letter.priority() == null) {
				outcomes.add(new RedriveOutcome(letter, Status.FAILED, null,
						(stored.event() == null) ? "not a gateway event: nothing to redrive"
								: "the event's priority is unknown: no topic to redrive it to"));
				continue;
			}
			String target = targetOf(letter);
			if (!existing.contains(target)) {
				outcomes.add(new RedriveOutcome(letter, Status.FAILED, target,
						"its topic " + target + " no longer exists: nothing written"));
				continue;
			}
			if (dryRun) {
				outcomes
					.add(new RedriveOutcome(letter, Status.WOULD_REDRIVE, target, "would be redriven to " + target));
				continue;
			}
			Pending one = new Pending(stored, target, outcomes.size());
			outcomes.add(null);
			pending.add(one);
		}
		if (!pending.isEmpty()) {
			write(run, pending, outcomes);
		}
		RedriveReport report = new RedriveReport(run, dryRun, List.copyOf(outcomes));
		log(report);
		this.redrivenMeter.accept((int) report.count(Status.REDRIVEN));
		return report;
	}

	/** The newest selected letter of each event. */
	private static Map<String, DeadLetter> newestPerEvent(List<StoredLetter> selected) {
		Map<String, DeadLetter> newest = new HashMap<>();
		for (StoredLetter stored : selected) {
			DeadLetter letter = stored.letter();
			if (letter.eventId() != null) {
				newest.merge(letter.eventId(), letter,
						(a, b) -> (DeadLetterReader.OLDEST_FIRST_LETTERS.compare(a, b) >= 0) ? a : b);
			}
		}
		return newest;
	}

	String targetOf(DeadLetter letter) {
		String origin = letter.originTopic();
		// By prefix: a retry topic of a level count since lowered is a retry topic too.
		// A delay topic's letter was a delay record the forwarder could not use:
		// redriven,
		// the event goes where it would have gone once due.
		if (origin == null || origin.isBlank() || origin.startsWith(this.topics.prefix() + ".retry.")
				|| origin.startsWith(this.topics.prefix() + ".delay.") || origin.equals(this.topics.offload())
				|| origin.equals(this.topics.dlq())) {
			return this.topics.priority(letter.priority());
		}
		return origin;
	}

	private void write(String run, List<Pending> pending, List<RedriveOutcome> outcomes) {
		try (Producer<String, byte[]> producer = this.producers.get()) {
			// 1. Claim every letter. A claim not acknowledged may still land: it is
			// released, and nothing of the letter written.
			List<Future<RecordMetadata>> claims = new ArrayList<>();
			for (Pending one : pending) {
				claims.add(send(producer, this.ledger.marker(one.stored().letter(), run, State.CLAIMED, one.target(),
						null, this.clock.instant())));
			}
			producer.flush();
			Map<Integer, Map<Pending, Long>> claimed = new TreeMap<>();
			for (int i = 0; i < pending.size(); i++) {
				Pending one = pending.get(i);
				Attempt claim = attempt(claims.get(i));
				if (claim.metadata() != null) {
					claimed.computeIfAbsent(claim.metadata().partition(), (partition) -> new LinkedHashMap<>())
						.put(one, claim.metadata().offset());
				}
				else {
					fail(outcomes, one, "could not record the redrive (" + claim.failure() + "): nothing written"
							+ release(producer, run, one));
				}
			}
			// 2. A claim is this run's when no other run held the letter just before it:
			// read only the claim's own ledger partition, up to the claim.
			List<Pending> won = new ArrayList<>();
			for (Map.Entry<Integer, Map<Pending, Long>> partition : claimed.entrySet()) {
				won.addAll(verify(producer, run, partition.getKey(), partition.getValue(), outcomes));
			}
			// 3. The events, then the confirmations.
			List<Future<RecordMetadata>> writes = new ArrayList<>();
			for (Pending one : won) {
				writes.add(send(producer, redrivenRecord(one)));
			}
			producer.flush();
			for (int i = 0; i < won.size(); i++) {
				confirm(producer, run, won.get(i), attempt(writes.get(i)), outcomes);
			}
			// A lost confirmation costs nothing: the claim already keeps the letter from
			// a second redrive.
			producer.flush();
		}
	}

	/** The letters of one ledger partition whose claim this run won. */
	private List<Pending> verify(Producer<String, byte[]> producer, String run, int partition,
			Map<Pending, Long> claims, List<RedriveOutcome> outcomes) {
		Map<String, Long> offsets = new HashMap<>();
		claims.forEach((one, offset) -> offsets.put(one.stored().letter().id(), offset));
		Map<String, Marker> before;
		try {
			before = this.ledger.markersBefore(partition, offsets);
		}
		catch (RuntimeException ex) {
			for (Pending one : claims.keySet()) {
				fail(outcomes, one, "could not check its claim (" + ex.getMessage() + "): nothing written"
						+ release(producer, run, one));
			}
			return List.of();
		}
		List<Pending> won = new ArrayList<>();
		for (Pending one : claims.keySet()) {
			Marker holder = before.get(one.stored().letter().id());
			if (holder == null) {
				won.add(one);
			}
			else {
				outcomes.set(one.index(), new RedriveOutcome(one.stored().letter(), Status.ALREADY_REDRIVEN,
						one.target(), "run " + holder.run() + " claimed it first"));
			}
		}
		return won;
	}

	/** Records how writing the letter's event ended. */
	private void confirm(Producer<String, byte[]> producer, String run, Pending one, Attempt write,
			List<RedriveOutcome> outcomes) {
		DeadLetter letter = one.stored().letter();
		if (write.metadata() != null) {
			RecordMetadata written = write.metadata();
			String where = written.topic() + ":" + written.partition() + ":" + written.offset();
			send(producer, this.ledger.marker(letter, run, State.REDRIVEN, one.target(), where, this.clock.instant()));
			outcomes.set(one.index(),
					new RedriveOutcome(letter, Status.REDRIVEN, one.target(), "redriven to " + where));
		}
		else if (write.definite()) {
			fail(outcomes, one, "writing to " + one.target() + " failed (" + write.failure() + "): nothing written"
					+ release(producer, run, one));
		}
		else {
			// It may have been written: releasing could write it twice.
			fail(outcomes, one,
					"writing to " + one.target() + " got no answer (" + write.failure()
							+ "): it may have been written, so it stays claimed. Check " + one.target() + " for event "
							+ letter.eventId() + "; if it is not there, dlq release --position=" + letter.id());
		}
	}

	/**
	 * Releases this run's claim of the letter, if it holds one, so that a later run can
	 * redrive it; says how that went, for the letter's outcome.
	 */
	private String release(Producer<String, byte[]> producer, String run, Pending one) {
		DeadLetter letter = one.stored().letter();
		Attempt release = attempt(send(producer,
				this.ledger.marker(letter, run, State.RELEASED, one.target(), null, this.clock.instant())));
		if (release.metadata() != null) {
			return "; released, it can be redriven again";
		}
		return "; its claim could not be released (" + release.failure()
				+ "): if a dry run says it is claimed, dlq release --position=" + letter.id();
	}

	/**
	 * Releases the claims of the letters at the positions, whatever run holds them, for
	 * an operator who checked that their events were not written.
	 * @return what became of each, by position
	 */
	public Map<String, String> release(Collection<String> positions) {
		this.ledger.ensureTopic();
		Map<String, Marker> markers = this.ledger.markers();
		Map<String, String> results = new LinkedHashMap<>();
		try (Producer<String, byte[]> producer = this.producers.get()) {
			for (String position : positions) {
				Marker marker = markers.get(position);
				if (marker == null) {
					results.put(position, "not claimed: nothing to release");
				}
				else if (marker.state() == State.REDRIVEN) {
					results.put(position, "redriven by run " + marker.run() + ": not released");
				}
				else {
					Attempt release = attempt(
							send(producer, this.ledger.release(position, marker.run(), this.clock.instant())));
					results.put(position, (release.metadata() != null) ? "released the claim of run " + marker.run()
							: "could not release (" + release.failure() + ")");
				}
			}
		}
		return results;
	}

	/** Sends, turning a refusal before sending into a failed future. */
	private static Future<RecordMetadata> send(Producer<String, byte[]> producer,
			ProducerRecord<String, byte[]> record) {
		try {
			return producer.send(record);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private ProducerRecord<String, byte[]> redrivenRecord(Pending one) {
		Event stored = one.stored().event();
		Priority priority = one.stored().letter().priority();
		Instant deadline = priority.deadlineFor(this.clock.instant());
		Event event = stored.toBuilder().setAttempt(0).setSloDeadline(ProtoTime.timestamp(deadline)).build();
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(one.target(), null, event.getCompanyId(),
				event.toByteArray());
		DeadLetter letter = one.stored().letter();
		// Like every event record the gateway writes: ordered without decoding the value.
		// A header that cannot be written leaves the record to be decoded instead.
		GatewayHeaders.putString(record.headers(), GatewayHeaders.EVENT_ID, event.getEventId());
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.PRIORITY, priority.level());
		GatewayHeaders.putEpochNanos(record.headers(), GatewayHeaders.SLO_DEADLINE, deadline);
		if (ProtoTime.isValid(event.getIngestedAt())) {
			GatewayHeaders.putEpochNanos(record.headers(), GatewayHeaders.INGESTED_AT,
					ProtoTime.instant(event.getIngestedAt()));
		}
		GatewayHeaders.putString(record.headers(), REDRIVEN_FROM, this.reader.topic() + ":" + letter.id());
		if (one.stored().traceParent() != null) {
			GatewayHeaders.putString(record.headers(), EventTracing.HEADER, one.stored().traceParent());
		}
		return record;
	}

	private Set<String> existingTopics() {
		try (Admin admin = this.admins.get()) {
			return admin.listTopics().names().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Cannot list the cluster's topics: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while listing the cluster's topics", ex);
		}
	}

	private Attempt attempt(Future<RecordMetadata> future) {
		try {
			return new Attempt(future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS), null, false);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			// Only a delivery timeout leaves it open whether the record was written; the
			// idempotent producer reports every other failure after giving up for good.
			return new Attempt(null, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
					!(cause instanceof org.apache.kafka.common.errors.TimeoutException));
		}
		catch (TimeoutException ex) {
			return new Attempt(null, "no answer within " + this.timeout, false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Attempt(null, "interrupted", false);
		}
	}

	private static void fail(List<RedriveOutcome> outcomes, Pending one, String detail) {
		outcomes.set(one.index(), new RedriveOutcome(one.stored().letter(), Status.FAILED, one.target(), detail));
	}

	private void log(RedriveReport report) {
		String counts = report.count(Status.REDRIVEN) + " redriven, " + report.count(Status.WOULD_REDRIVE)
				+ " would be redriven, " + report.count(Status.ALREADY_REDRIVEN) + " already redriven, "
				+ report.count(Status.DUPLICATE) + " duplicates, " + report.count(Status.FAILED) + " failed";
		logger.info((report.dryRun() ? "Dry run of a redrive of " : "Redrive of ") + this.reader.topic() + " (run "
				+ report.run() + ", " + report.outcomes().size() + " letters selected): " + counts);
		for (RedriveOutcome outcome : report.outcomes()) {
			if (outcome.status() == Status.FAILED) {
				logger.warn("Dead letter " + outcome.letter().id() + " of " + this.reader.topic() + " (event "
						+ outcome.letter().eventId() + ") not redriven: " + outcome.detail());
			}
		}
	}

	/** A letter this run means to write, and its slot in the report. */
	private record Pending(StoredLetter stored, String target, int index) {

	}

	/**
	 * How one write ended.
	 *
	 * @param metadata where it was written, {@code null} when it failed
	 * @param failure why it failed, {@code null} when it did not
	 * @param definite whether a failure means it was certainly not written
	 */
	private record Attempt(@Nullable RecordMetadata metadata, @Nullable String failure, boolean definite) {

	}

}
