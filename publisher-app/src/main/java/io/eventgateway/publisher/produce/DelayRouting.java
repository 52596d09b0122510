package io.eventgateway.publisher.produce;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.google.protobuf.Timestamp;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.proto.v1.Event;

/**
 * Decides whether an event waits on a delay topic: one whose {@code not_before} is after
 * now is written to the tier for the time it still has to wait
 * ({@link TopicLayout#delayTierFor}), naming the topic it would have been written to now;
 * one due now or earlier goes where it always went. Reads only the decoded event's
 * {@code not_before}, never its payload.
 *
 * <p>
 * Thread-safe: immutable.
 */
public final class DelayRouting {

	private final TopicLayout topics;

	private final Clock clock;

	/**
	 * @param topics the topic layout, with its delay tiers
	 * @param clock the time {@code not_before} is compared with
	 */
	public DelayRouting(TopicLayout topics, Clock clock) {
		this.topics = topics;
		this.clock = clock;
	}

	/**
	 * Where an event written now on its lane waits, or {@code null} when it is due (no
	 * {@code not_before}, or one now or past, or one no header can hold).
	 * @param event the event
	 * @param lane its lane, whose topic it goes to when due
	 */
	public @Nullable Delay delayOf(Event event, Lane lane) {
		if (!event.hasNotBefore()) {
			return null;
		}
		Instant due = instant(event.getNotBefore());
		Instant now = this.clock.instant();
		if (due == null || !due.isAfter(now) || !Delay.fitsInMillis(due)) {
			return null;
		}
		Duration tier = this.topics.delayTierFor(Duration.between(now, due));
		return delay(tier, now, due, lane.topic(this.topics));
	}

	/**
	 * The delay headers of an event written again to a delay topic it was meant for (a
	 * spool replay), made afresh from the event: due at its {@code not_before} (at once
	 * when it has none), held in the topic's tier from now, going to its lane's topic.
	 * @param event the event
	 * @param intendedTopic the topic it is written to
	 * @return the delay, or {@code null} when {@code intendedTopic} is not a delay topic
	 */
	public @Nullable Delay delayForReplay(Event event, String intendedTopic) {
		Duration tier = this.topics.delayTierOf(intendedTopic);
		if (tier == null) {
			return null;
		}
		Instant now = this.clock.instant();
		Instant due = event.hasNotBefore() ? instant(event.getNotBefore()) : null;
		if (due == null || !Delay.fitsInMillis(due)) {
			// Only a record another writer made: due at once, the forwarder sends it on.
			due = now;
		}
		return delay(tier, now, due, Lane.of(event).topic(this.topics));
	}

	/** Whether a topic is one of the delay topics. */
	public boolean isDelayTopic(String topic) {
		return this.topics.delayTierOf(topic) != null;
	}

	/** The delay topics, shortest tier first. */
	public Set<String> delayTopics() {
		return Set.copyOf(this.topics.delayTopics());
	}

	private Delay delay(Duration tier, Instant now, Instant due, String delayedTo) {
		Instant tierEnd = now.plus(tier);
		Instant holdEnd = tierEnd.isBefore(due) ? tierEnd : due;
		return new Delay(this.topics.delay(tier), tier, holdEnd, due, delayedTo);
	}

	private static @Nullable Instant instant(Timestamp timestamp) {
		try {
			return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
		}
		catch (DateTimeException | ArithmeticException ex) {
			return null;
		}
	}

}
