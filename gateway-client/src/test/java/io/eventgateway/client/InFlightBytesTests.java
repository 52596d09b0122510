package io.eventgateway.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InFlightBytesTests {

	@Test
	void aSenderGetsNoRoomPastTheLimitUntilBytesAreReleased() throws InterruptedException {
		InFlightBytes inFlight = new InFlightBytes(100);
		long first = inFlight.acquire(60, 0);
		assertThat(first).isEqualTo(60);
		assertThat(inFlight.acquire(50, 1_000_000)).isEqualTo(InFlightBytes.TIMED_OUT);
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

	@Test
	void closingWakesAWaitingSenderAndRefusesLaterOnes() throws InterruptedException {
		InFlightBytes inFlight = new InFlightBytes(100);
		inFlight.acquire(100, 0);
		AtomicLong waited = new AtomicLong();
		Thread sender = new Thread(() -> {
			try {
				waited.set(inFlight.acquire(10, TimeUnit.MINUTES.toNanos(1)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		sender.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.TIMED_WAITING);

		inFlight.close();
		sender.join(TimeUnit.SECONDS.toMillis(10));

		assertThat(sender.isAlive()).isFalse();
		assertThat(waited).hasValue(InFlightBytes.CLOSED);
		assertThat(inFlight.acquire(1, 0)).isEqualTo(InFlightBytes.CLOSED);
		assertThat(inFlight.used()).isEqualTo(100);
	}

}
