package io.eventgateway.publisher.produce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which events wait on a delay topic, on which tier, and with which headers, on a fixed
 * clock and the default tiers (1s, 10s, 1m, 10m, 1h).
 */
class DelayRoutingTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.250Z");

	private final DelayRouting routing = new DelayRouting(TopicLayout.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void anEventWithoutNotBeforeIsNotDelayed() {
		assertThat(this.routing.delayOf(event(Priority.P30), Lane.P30)).isNull();
	}

	@Test
	void anEventDueNowOrEarlierGoesWhereItAlwaysWent() {
		assertThat(this.routing.delayOf(due(Priority.P20, NOW), Lane.P20)).isNull();
		assertThat(this.routing.delayOf(due(Priority.P20, NOW.minusSeconds(5)), Lane.P20)).isNull();
	}

	@Test
	void anEventDueLaterWaitsOnTheLongestTierNotLongerThanItsWait() {
		Instant due = NOW.plus(Duration.ofMinutes(25));

		Delay delay = this.routing.delayOf(due(Priority.P20, due), Lane.P20);

		assertThat(delay.topic()).isEqualTo("events.delay.600s");
		assertThat(delay.tier()).isEqualTo(Duration.ofMinutes(10));
		assertThat(delay.holdEnd()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
		assertThat(delay.due()).isEqualTo(due);
		assertThat(delay.delayedTo()).isEqualTo("events.p20");
	}

	@Test
	void aWaitShorterThanEveryTierIsHeldOnTheShortestOnlyUntilDue() {
		Instant due = NOW.plusMillis(300);

		Delay delay = this.routing.delayOf(due(Priority.P30, due), Lane.P30);

		assertThat(delay.topic()).isEqualTo("events.delay.1s");
		assertThat(delay.holdEnd()).isEqualTo(due);
	}

	@Test
	void anOffloadedEventGoesToTheOffloadTopicWhenDue() {
		Event event = due(Priority.P10, NOW.plusSeconds(90)).toBuilder().setOffload(true).build();

		Delay delay = this.routing.delayOf(event, Lane.of(event));

		assertThat(delay.topic()).isEqualTo("events.delay.60s");
		assertThat(delay.delayedTo()).isEqualTo("events.offload");
	}

	@Test
	void theHeadersAreEpochMillisAndTheTopicName() {
		Instant due = NOW.plusSeconds(30).plusNanos(1_500_000);
		Headers headers = new RecordHeaders();

		this.routing.delayOf(due(Priority.P30, due), Lane.P30).addHeaders(headers);

		assertThat(GatewayHeaders.getLong(headers, GatewayHeaders.NOT_BEFORE, -1))
			.isEqualTo(NOW.plusSeconds(10).toEpochMilli());
		assertThat(GatewayHeaders.getLong(headers, GatewayHeaders.DELAY_UNTIL, -1)).isEqualTo(due.toEpochMilli());
		assertThat(GatewayHeaders.getString(headers, GatewayHeaders.DELAYED_TO)).isEqualTo("events.p30");
	}

	@Test
	void aReplayNotYetDueGoesToTheTierForTheTimeLeftNotItsFirstTier() {
		Instant due = NOW.plus(Duration.ofMinutes(5));

		ReplayRoute route = this.routing.routeReplay(due(Priority.P10, due), "events.delay.10s", null);

		assertThat(route.topic()).isEqualTo("events.delay.60s");
		assertThat(route.delay().holdEnd()).isEqualTo(NOW.plusSeconds(60));
		assertThat(route.delay().due()).isEqualTo(due);
		assertThat(route.delay().delayedTo()).isEqualTo("events.p10");
	}

	@Test
	void aReplayAlreadyDueGoesToItsDestinationWithoutDelayHeaders() {
		ReplayRoute route = this.routing.routeReplay(due(Priority.P20, NOW.minusSeconds(30)), "events.delay.10s", null);
		Headers headers = new RecordHeaders();
		route.addHeaders(headers);

		assertThat(route.topic()).isEqualTo("events.p20");
		assertThat(route.delay()).isNull();
		assertThat(headers.toArray()).isEmpty();
		assertThat(this.routing.routeReplay(due(Priority.P20, NOW), "events.delay.1s", null).topic())
			.isEqualTo("events.p20");
	}

	@Test
	void aReplayForATierNoLongerConfiguredIsRoutedOnTheCurrentTiers() {
		Instant due = NOW.plusSeconds(45);

		ReplayRoute route = this.routing.routeReplay(due(Priority.P30, due), "events.delay.30s", null);

		assertThat(this.routing.isDelayTopic("events.delay.30s")).isTrue();
		assertThat(route.topic()).isEqualTo("events.delay.10s");
		assertThat(route.delay().holdEnd()).isEqualTo(NOW.plusSeconds(10));
		assertThat(this.routing.routeReplay(due(Priority.P30, NOW.minusSeconds(1)), "events.delay.30s", null).topic())
			.isEqualTo("events.p30");
	}

	@Test
	void theHeadersOfTheFirstWriteComeBeforeTheEvent() {
		Instant due = NOW.plus(Duration.ofMinutes(20));
		Headers written = new RecordHeaders();
		GatewayHeaders.putLong(written, GatewayHeaders.DELAY_UNTIL, due.toEpochMilli());
		GatewayHeaders.putString(written, GatewayHeaders.DELAYED_TO, "events.offload");
		Event event = due(Priority.P10, NOW.minusSeconds(1));

		ReplayRoute route = this.routing.routeReplay(event, "events.delay.600s", written);

		assertThat(route.topic()).isEqualTo("events.delay.600s");
		assertThat(route.delay().due()).isEqualTo(due);
		assertThat(route.delay().delayedTo()).isEqualTo("events.offload");
	}

	@Test
	void aDelayedToThatIsNotALanesTopicGivesWayToTheEventsLane() {
		Headers written = new RecordHeaders();
		GatewayHeaders.putString(written, GatewayHeaders.DELAYED_TO, "events.dlq");

		ReplayRoute route = this.routing.routeReplay(due(Priority.P10, NOW), "events.delay.1s", written);

		assertThat(route.topic()).isEqualTo("events.p10");
	}

	@Test
	void aReplayToAnyOtherTopicGoesThereUnchanged() {
		ReplayRoute route = this.routing.routeReplay(due(Priority.P10, NOW.plusSeconds(60)), "events.p10", null);

		assertThat(route.topic()).isEqualTo("events.p10");
		assertThat(route.delay()).isNull();
		assertThat(this.routing.isDelayTopic("other.delay.10s")).isFalse();
		assertThat(this.routing.isDelayTopic("events.delay.10")).isFalse();
	}

	private static Event event(Priority priority) {
		return TestEvents.event("delay-1", "acme", priority);
	}

	private static Event due(Priority priority, Instant due) {
		return event(priority).toBuilder().setNotBefore(ProtoTime.timestamp(due)).build();
	}

}
