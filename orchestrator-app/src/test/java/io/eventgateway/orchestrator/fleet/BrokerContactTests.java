package io.eventgateway.orchestrator.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.orchestrator.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerContactTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

	private final AtomicReference<Duration> fenceAfter = new AtomicReference<>(Duration.ofSeconds(30));

	private final BrokerContact contact = new BrokerContact(this.clock, this.fenceAfter::get);

	@BeforeEach
	void probeRuns() {
		this.contact.probingStarts();
	}

	@Test
	void aSlowStartBeforeTheProbeRunsNeverFences() {
		BrokerContact starting = new BrokerContact(this.clock, this.fenceAfter::get);
		this.clock.advance(Duration.ofSeconds(45));
		assertThat(starting.isFenced()).isFalse();

		starting.probingStarts();
		assertThat(starting.isFenced()).isFalse();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(starting.isFenced()).isTrue();
	}

	@Test
	void aFreshStartIsNotFencedUntilFenceAfterPassesWithoutContact() {
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.contact.isFenced()).isFalse();

		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.contact.isFenced()).isTrue();
		assertThat(this.contact.fencings()).isEqualTo(1);
	}

	@Test
	void contactLiftsTheFenceAndAnotherSilenceCountsAsASecondFencing() {
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.contact.isFenced()).isTrue();
		assertThat(this.contact.isFenced()).isTrue();

		this.contact.contacted();
		assertThat(this.contact.isFenced()).isFalse();
		assertThat(this.contact.silence()).isZero();

		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.contact.isFenced()).isTrue();
		assertThat(this.contact.fencings()).isEqualTo(2);
	}

	@Test
	void regularContactNeverFences() {
		for (int i = 0; i < 100; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			this.contact.contacted();
			assertThat(this.contact.isFenced()).isFalse();
		}
		assertThat(this.contact.fencings()).isZero();
	}

	@Test
	void aLongerFenceAfterTakesEffectOnTheNextCheck() {
		this.clock.advance(Duration.ofSeconds(40));
		assertThat(this.contact.isFenced()).isTrue();

		this.fenceAfter.set(Duration.ofMinutes(1));

		assertThat(this.contact.isFenced()).isFalse();
	}

	@Test
	void fencingWinsOverStandbyAndStandbyOverServing() {
		AtomicBoolean fleetActive = new AtomicBoolean(true);
		ServingGate gate = new ServingGate(fleetActive::get, this.contact);
		assertThat(gate.standing()).isEqualTo(Standing.SERVING);

		fleetActive.set(false);
		assertThat(gate.standing()).isEqualTo(Standing.STANDBY);

		this.clock.advance(Duration.ofSeconds(31));
		assertThat(gate.standing()).isEqualTo(Standing.FENCED);

		fleetActive.set(true);
		assertThat(gate.standing()).isEqualTo(Standing.FENCED);

		this.contact.contacted();
		assertThat(gate.standing()).isEqualTo(Standing.SERVING);
	}

	@Test
	void probesRunAtAThirdOfFenceAfterAndAtMostEveryFiveSeconds() {
		assertThat(BrokerContactProbe.interval(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(2));
		assertThat(BrokerContactProbe.interval(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
	}

}
