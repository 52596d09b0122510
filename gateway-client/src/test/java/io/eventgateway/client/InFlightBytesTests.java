package io.eventgateway.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightBytesTests {

	@Test
	void aSenderGetsNoRoomPastTheLimitUntilBytesAreReleased() throws InterruptedException {
		InFlightBytes inFlight = new InFlightBytes(100);
		long first = inFlight.acquire(60, 0);
		assertThat(first).isEqualTo(60);
		assertThat(inFlight.acquire(50, 1_000_000)).isEqualTo(-1);
		inFlight.release(first);
		assertThat(inFlight.acquire(50, 0)).isEqualTo(50);
		assertThat(inFlight.used()).isEqualTo(50);
	}

	@Test
	void anEventLargerThanTheLimitGetsInWhenNothingElseIs() throws InterruptedException {
		InFlightBytes inFlight = new InFlightBytes(100);
		long taken = inFlight.acquire(500, 0);
		assertThat(taken).isEqualTo(100);
		assertThat(inFlight.acquire(1, 0)).isEqualTo(-1);
		inFlight.release(taken);
		assertThat(inFlight.used()).isZero();
	}

}
