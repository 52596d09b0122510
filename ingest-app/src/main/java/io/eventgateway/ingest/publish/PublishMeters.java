package io.eventgateway.ingest.publish;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway.ingest.publish.calls}: publish calls per lane and outcome
 * ({@code answered}, or the gRPC status code of a failed call, whose events were
 * rejected).
 */
public final class PublishMeters implements PublishCalls {

	static final String CALLS = "gateway.ingest.publish.calls";

	private final MeterRegistry registry;

	private final Map<PublishLane, Counter> answered = new EnumMap<>(PublishLane.class);

	public PublishMeters(MeterRegistry registry) {
		this.registry = registry;
		for (PublishLane lane : PublishLane.values()) {
			this.answered.put(lane, counter(lane, "answered"));
			// Registered at 0, so that a rate alert sees the first failure as an
			// increase.
			counter(lane, "UNAVAILABLE");
			counter(lane, "DEADLINE_EXCEEDED");
		}
	}

	@Override
	public void answered(PublishLane lane) {
		this.answered.get(lane).increment();
	}

	@Override
	public void failed(PublishLane lane, String code) {
		counter(lane, code).increment();
	}

	private Counter counter(PublishLane lane, String outcome) {
		return Counter.builder(CALLS)
			.description("Calls to the publisher; every event of a call that did not end 'answered' was rejected")
			.tag("lane", lane.name().toLowerCase(java.util.Locale.ROOT))
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
