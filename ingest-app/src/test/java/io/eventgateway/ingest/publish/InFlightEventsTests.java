package io.eventgateway.ingest.publish;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InFlightEventsTests {

	private final InFlightEvents inFlight = new InFlightEvents(10);

	@Test
	void eventsAreTakenUpToTheLimitAndRefusedWholePastIt() {
		assertThat(this.inFlight.tryAcquire(6)).isTrue();
		assertThat(this.inFlight.tryAcquire(4)).isTrue();

		assertThat(this.inFlight.tryAcquire(1)).isFalse();

		assertThat(this.inFlight.inFlight()).isEqualTo(10);
		assertThat(this.inFlight.refused()).isEqualTo(1);
	}

	@Test
	void aRefusalTakesNothing() {
		assertThat(this.inFlight.tryAcquire(8)).isTrue();

		assertThat(this.inFlight.tryAcquire(3)).isFalse();

		assertThat(this.inFlight.tryAcquire(2)).isTrue();
	}

	@Test
	void releasedRoomCanBeTakenAgain() {
		assertThat(this.inFlight.tryAcquire(10)).isTrue();

		this.inFlight.release(7);

		assertThat(this.inFlight.inFlight()).isEqualTo(3);
		assertThat(this.inFlight.tryAcquire(7)).isTrue();
	}

	@Test
	void aLimitBelowOneIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InFlightEvents(0))
			.withMessageContaining("gateway.ingest.publisher.max-in-flight-events");
	}

}
