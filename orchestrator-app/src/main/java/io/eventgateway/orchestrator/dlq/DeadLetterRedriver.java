package io.eventgateway.orchestrator.dlq;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * origin is a retry topic anyway, the offload topic (drained only when the orchestrator
 * idles, and the letter has waited long enough), or missing, the target is the topic of
 * the event's priority. The event keeps its id and SLO deadline (a late event is served
 * first) and gets {@code attempt} 0, the count the orchestrator raises on each failure;
 * the record carries none of the dead letter's retry headers (origin, attempts, error),
 * so the orchestrator treats it as a fresh read of that topic.
 *
 * <p>
 * Never twice: see {@link RedriveLedger}. The order per letter is claim marker (acked),
 * then re-read the ledger and go on only if this run's claim is the letter's first
 * marker, then the event, then the confirming marker. A crash after the claim leaves a
 * letter claimed and perhaps not written: it is reported as already redriven, never
 * written again (an operator checks the target for its event id). Writing the event
 * before the marker could instead write it twice; a Kafka transaction would need the
 * orchestrators' consumers to read committed records only, and a transaction coordinator
 * log the test and single-broker setups do not replicate.
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
	 * Redrives (or in a dry run reports) the letters the ids name:
	 * {@code partition:offset} or event ids.
	 */
	public RedriveReport redriveIds(Collection<String> ids, boolean dryRun) {
		return redrive(this.reader.selectIds(ids), dryRun);
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
		for (StoredLetter stored : selected) {
			DeadLetter letter = stored.letter();
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

	String targetOf(DeadLetter letter) {
		String origin = letter.originTopic();
		if (origin == null || origin.isBlank() || this.topics.retryTopics().contains(origin)
				|| origin.equals(this.topics.offload()) || origin.equals(this.topics.dlq())) {
			return this.topics.priority(letter.priority());
		}
		return origin;
	}

	private void write(String run, List<Pending> pending, List<RedriveOutcome> outcomes) {
		try (Producer<String, byte[]> producer = this.producers.get()) {
			// 1. Claim every letter; a letter whose claim is not acknowledged is left
			// alone, nothing of it written.
			List<Future<RecordMetadata>> claims = new ArrayList<>();
			for (Pending one : pending) {
				claims.add(producer.send(this.ledger.marker(one.stored().letter(), run, State.CLAIMED, one.target(),
						null, this.clock.instant())));
			}
			producer.flush();
			List<Pending> claimed = new ArrayList<>();
			for (int i = 0; i < pending.size(); i++) {
				String failure = failureOf(claims.get(i));
				if (failure == null) {
					claimed.add(pending.get(i));
				}
				else {
					fail(outcomes, pending.get(i), "could not record the redrive (" + failure + "): nothing written");
				}
			}
			// 2. Only a letter whose first marker is this run's claim is this run's: a
			// concurrent run that claimed it first writes it, this one does not.
			Map<String, Marker> markers = this.ledger.markers();
			List<Pending> won = new ArrayList<>();
			for (Pending one : claimed) {
				Marker first = markers.get(one.stored().letter().id());
				if (first != null && first.run().equals(run)) {
					won.add(one);
				}
				else {
					outcomes.set(one.index(), new RedriveOutcome(one.stored().letter(), Status.ALREADY_REDRIVEN,
							one.target(), "another redrive run claimed it first"));
				}
			}
			// 3. The events, then the confirmations.
			List<Future<RecordMetadata>> writes = new ArrayList<>();
			for (Pending one : won) {
				writes.add(producer.send(redrivenRecord(one)));
			}
			producer.flush();
			for (int i = 0; i < won.size(); i++) {
				Pending one = won.get(i);
				String failure = failureOf(writes.get(i));
				if (failure != null) {
					fail(outcomes, one,
							"claimed, but writing to " + one.target() + " failed (" + failure
									+ "); it stays claimed and is never redriven again: check " + one.target()
									+ " for event " + one.stored().letter().eventId());
					continue;
				}
				RecordMetadata written = metadataOf(writes.get(i));
				String where = written.topic() + ":" + written.partition() + ":" + written.offset();
				producer.send(this.ledger.marker(one.stored().letter(), run, State.REDRIVEN, one.target(), where,
						this.clock.instant()));
				outcomes.set(one.index(), new RedriveOutcome(one.stored().letter(), Status.REDRIVEN, one.target(),
						"redriven to " + where));
			}
			// A lost confirmation costs nothing: the claim already keeps the letter from
			// a second redrive.
			producer.flush();
		}
	}

	private ProducerRecord<String, byte[]> redrivenRecord(Pending one) {
		Event event = one.stored().event().toBuilder().setAttempt(0).build();
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(one.target(), null, event.getCompanyId(),
				event.toByteArray());
		DeadLetter letter = one.stored().letter();
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

	private @Nullable String failureOf(Future<RecordMetadata> future) {
		try {
			future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage();
		}
		catch (TimeoutException ex) {
			return "no answer within " + this.timeout;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static RecordMetadata metadataOf(Future<RecordMetadata> done) {
		try {
			return done.get();
		}
		catch (ExecutionException | InterruptedException ex) {
			// Only called once failureOf found it completed normally.
			throw new IllegalStateException(ex);
		}
	}

	private static void fail(List<RedriveOutcome> outcomes, Pending one, String detail) {
		outcomes.set(one.index(), new RedriveOutcome(one.stored().letter(), Status.FAILED, one.target(), detail));
	}

	private void log(RedriveReport report) {
		String counts = report.count(Status.REDRIVEN) + " redriven, " + report.count(Status.WOULD_REDRIVE)
				+ " would be redriven, " + report.count(Status.ALREADY_REDRIVEN) + " already redriven, "
				+ report.count(Status.FAILED) + " failed";
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

}
