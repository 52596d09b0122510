package io.eventgateway.ingest.flow;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.FlowControlSignal;

import static org.assertj.core.api.Assertions.assertThat;

class FlowControlListenerTests {

	private static final String TOPIC = "events.flow-control";

	private final AtomicLong nanos = new AtomicLong();

	private final SloService slo = new SloService(new AimdSettings(100, 10, 0.5, 20, 120), this.nanos::get);

	private final List<String> undecodable = new ArrayList<>();

	private final List<String> failed = new ArrayList<>();

	private long offset;

	@Test
	void signalsOfKnownKindsAreAppliedAndEverythingElseIsCounted() {
		FlowControlListener listener = new FlowControlListener(this.slo, this.undecodable::add, this.failed::add);

		listener.onSignals(List.of(record(new byte[] { (byte) 0xff, (byte) 0xff }), record(null),
				record(FlowControlSignal.newBuilder().setKindValue(7).build().toByteArray()), record(new byte[0]),
				record(signal(FlowControlSignal.Kind.DECREASE)), record(signal(FlowControlSignal.Kind.INCREASE))));

		assertThat(this.slo.decreases()).isEqualTo(1);
		assertThat(this.slo.increases()).isEqualTo(1);
		// Garbage, a tombstone, an unknown kind and an empty record (no kind).
		assertThat(this.undecodable).containsExactly(TOPIC, TOPIC, TOPIC, TOPIC);
		assertThat(this.failed).isEmpty();
	}

	@Test
	void aSignalWhoseHandlingFailsCostsOnlyItself() {
		SloService failing = new SloService(new AimdSettings(100, 10, 0.5, 20, 120), this.nanos::get) {

			@Override
			public synchronized void decrease() {
				throw new IllegalStateException("cannot decrease");
			}

		};
		FlowControlListener listener = new FlowControlListener(failing, this.undecodable::add, this.failed::add);

		listener.onSignals(List.of(record(signal(FlowControlSignal.Kind.DECREASE)),
				record(signal(FlowControlSignal.Kind.INCREASE))));

		assertThat(failing.increases()).isEqualTo(1);
		assertThat(this.failed).containsExactly(TOPIC);
		assertThat(this.undecodable).isEmpty();
	}

	@Test
	void replicaZeroOfTwoFleetsAreTwoSourcesAndAnIdleOneCannotCancelTheOneAtRisk() {
		FlowSignalSources sources = new FlowSignalSources(
				Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
		FlowControlListener listener = new FlowControlListener(this.slo, sources, this.undecodable::add,
				this.failed::add);

		listener.onSignals(List.of(record(signal(FlowControlSignal.Kind.DECREASE, "primary", "p10-slack")),
				record(signal(FlowControlSignal.Kind.INCREASE, "rollout", "healthy")),
				record(signal(FlowControlSignal.Kind.DECREASE, "", "p10-paused"))));

		assertThat(this.slo.decreases()).isEqualTo(2);
		// The idle rollout fleet's INCREASE came while the primary was at risk.
		assertThat(this.slo.increases()).isZero();
		// A signal without a fleet (an older orchestrator) comes from the default fleet.
		assertThat(sources.bySource()).containsOnlyKeys("primary/0", "rollout/0");
		assertThat(sources.bySource().get("primary/0").reason()).isEqualTo("p10-paused");
		assertThat(sources.bySource().get("rollout/0").kind()).isEqualTo("INCREASE");
	}

	@Test
	void anIncreaseAppliesOnceNoOtherSourceHasBeenAtRiskWithinTheWindow() {
		Instant start = Instant.parse("2030-01-01T00:00:00Z");
		AtomicLong elapsedMillis = new AtomicLong();
		Clock clock = new Clock() {

			@Override
			public Instant instant() {
				return start.plusMillis(elapsedMillis.get());
			}

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				throw new UnsupportedOperationException();
			}

		};
		FlowControlListener listener = new FlowControlListener(this.slo, new FlowSignalSources(clock),
				this.undecodable::add, this.failed::add);

		listener.onSignals(List.of(record(signal(FlowControlSignal.Kind.DECREASE, "primary", "p10-slack"))));
		elapsedMillis.set(FlowControlListener.AT_RISK_WINDOW.toMillis() + 1);
		listener.onSignals(List.of(record(signal(FlowControlSignal.Kind.INCREASE, "rollout", "healthy"))));

		assertThat(this.slo.increases()).isEqualTo(1);
	}

	private ConsumerRecord<String, byte[]> record(byte[] value) {
		return new ConsumerRecord<>(TOPIC, 0, this.offset++, null, value);
	}

	private static byte[] signal(FlowControlSignal.Kind kind, String fleet, String reason) {
		return FlowControlSignal.newBuilder()
			.setKind(kind)
			.setReplica(0)
			.setFleet(fleet)
			.setReason(reason)
			.build()
			.toByteArray();
	}

	private static byte[] signal(FlowControlSignal.Kind kind) {
		return FlowControlSignal.newBuilder().setKind(kind).setReplica(0).setReason("test").build().toByteArray();
	}

}
