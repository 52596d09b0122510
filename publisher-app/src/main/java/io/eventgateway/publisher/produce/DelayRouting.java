package io.eventgateway.publisher.produce;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.protobuf.Timestamp;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.GatewayHeaders;
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

	private final Pattern delayTopicName;

	private final Set<String> laneTopics;

	/**
	 * @param topics the topic layout, with its delay tiers
	 * @param clock the time {@code not_before} is compared with
	 */
	public DelayRouting(TopicLayout topics, Clock clock) {
		this.topics = topics;
		this.clock = clock;
		this.delayTopicName = Pattern.compile(Pattern.quote(topics.prefix()) + "\\.delay\\.[0-9]+s");
		Set<String> lanes = new HashSet<>();
		for (Lane lane : Lane.values()) {
			lanes.add(lane.topic(topics));
		}
		this.laneTopics = Set.copyOf(lanes);
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
	 * Where an event meant for a delay topic goes when written again (a failed write or a
	 * spooled event), decided afresh as the forwarder would: a replay appended behind the
	 * records held on its first tier could arrive up to a tier late, and one meant for a
	 * tier no longer configured would be held by nobody. Due now or earlier: to the topic
	 * it waited for, without delay headers; else to the tier for the time it still has to
	 * wait. Any {@code <prefix>.delay.<n>s} topic counts, a current tier or not.
	 * @param event the event
	 * @param intendedTopic the topic its first write was meant for
	 * @param written the headers of that write, when known: its {@code DELAY_UNTIL} and
	 * {@code DELAYED_TO} come before the event's {@code not_before} and lane
	 * @return the route, the intended topic unchanged when it is not a delay topic
	 */
	public ReplayRoute routeReplay(Event event, String intendedTopic, @Nullable Headers written) {
		if (!isDelayTopic(intendedTopic)) {
			return new ReplayRoute(intendedTopic, null);
		}
		Instant now = this.clock.instant();
		Instant due = dueOf(event, written, now);
		String delayedTo = delayedToOf(event, written);
		if (!due.isAfter(now)) {
			return new ReplayRoute(delayedTo, null);
		}
		Delay delay = delay(this.topics.delayTierFor(Duration.between(now, due)), now, due, delayedTo);
		return new ReplayRoute(delay.topic(), delay);
	}

	/**
	 * Whether a topic is a delay topic of this prefix, one of the configured tiers or
	 * not.
	 */
	public boolean isDelayTopic(String topic) {
		return this.delayTopicName.matcher(topic).matches();
	}

	private Instant dueOf(Event event, @Nullable Headers written, Instant now) {
		long delayUntil = (written != null)
				? GatewayHeaders.getLong(written, GatewayHeaders.DELAY_UNTIL, Long.MIN_VALUE) : Long.MIN_VALUE;
		if (delayUntil != Long.MIN_VALUE) {
			return Instant.ofEpochMilli(delayUntil);
		}
		Instant due = event.hasNotBefore() ? instant(event.getNotBefore()) : null;
		// Without either, only a record another writer made: due at once.
		return (due != null && Delay.fitsInMillis(due)) ? due : now;
	}

	private String delayedToOf(Event event, @Nullable Headers written) {
		String delayedTo = (written != null) ? GatewayHeaders.getString(written, GatewayHeaders.DELAYED_TO) : null;
		// Only a lane's topic: anything else in the header is not the publisher's to
		// write to.
		return (delayedTo != null && this.laneTopics.contains(delayedTo)) ? delayedTo
				: Lane.of(event).topic(this.topics);
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
