package io.eventgateway.ingest.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class SloServiceTests {

	private final AtomicLong nanos = new AtomicLong();

	private final SloService slo = new SloService(new AimdSettings(100, 10, 0.5, 20, 120), this.nanos::get);

	@Test
	void decreaseMultipliesByBeta() {
		this.slo.decrease();
		assertThat(this.slo.rate()).isEqualTo(50, within(1e-9));
		this.slo.decrease();
		assertThat(this.slo.rate()).isEqualTo(25, within(1e-9));
		assertThat(this.slo.decreases()).isEqualTo(2);
	}

	@Test
	void decreaseStopsAtTheFloor() {
		for (int i = 0; i < 10; i++) {
			this.slo.decrease();
		}
		assertThat(this.slo.rate()).isEqualTo(20, within(1e-9));
	}

	@Test
	void increaseAddsAlpha() {
		this.slo.decrease();
		this.slo.increase();
		assertThat(this.slo.rate()).isEqualTo(60, within(1e-9));
		assertThat(this.slo.increases()).isEqualTo(1);
	}

	@Test
	void increaseStopsAtTheCeiling() {
		for (int i = 0; i < 10; i++) {
			this.slo.increase();
		}
		assertThat(this.slo.rate()).isEqualTo(120, within(1e-9));
	}

	@Test
	void admitsAtMostTheRatePerSecond() {
		// The bucket starts full: one second of events.
		assertThat(admit(1000)).isEqualTo(100);
		advance(Duration.ofMillis(500));
		assertThat(admit(1000)).isEqualTo(50);
	}

	@Test
	void aDecreaseTakesEffectAtOnce() {
		this.slo.decrease();
		assertThat(admit(1000)).isEqualTo(50);
		advance(Duration.ofSeconds(1));
		assertThat(admit(1000)).isEqualTo(50);
	}

	@Test
	void newSettingsKeepTheRateWithinTheirBounds() {
		this.slo.update(new AimdSettings(30, 5, 0.9, 10, 40));
		assertThat(this.slo.rate()).isEqualTo(40, within(1e-9));
		this.slo.increase();
		assertThat(this.slo.rate()).isEqualTo(40, within(1e-9));
		this.slo.decrease();
		assertThat(this.slo.rate()).isEqualTo(36, within(1e-9));
	}

	@Test
	void concurrentCallersTogetherGetNoMoreThanTheRate() throws Exception {
		// Time stands still: the bucket's 100 tokens are all there is, whoever asks.
		int threads = 4;
		AtomicInteger admitted = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService callers = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				done.add(callers.submit(() -> {
					start.await();
					admitted.addAndGet(admit(1000));
					return null;
				}));
			}
			start.countDown();
			for (Future<?> caller : done) {
				caller.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(admitted).hasValue(100);
	}

	@Test
	void aLongQuietPeriodFillsTheBucketWithOneSecondOfEventsOnly() {
		assertThat(admit(1000)).isEqualTo(100);
		advance(Duration.ofMinutes(10));
		assertThat(admit(1000)).isEqualTo(100);
	}

	@Test
	void anIncreaseKeepsTheTokensLeftAndRefillsFaster() {
		assertThat(admit(60)).isEqualTo(60);
		this.slo.increase();
		assertThat(admit(1000)).isEqualTo(40);
		advance(Duration.ofMillis(100));
		assertThat(admit(1000)).isEqualTo(11);
	}

	@Test
	void theClockWrappingAroundChangesNothing() {
		this.nanos.set(Long.MAX_VALUE - Duration.ofMillis(200).toNanos());
		SloService nearTheWrap = new SloService(new AimdSettings(100, 10, 0.5, 20, 120), this.nanos::get);
		int admitted = 0;
		for (int i = 0; i < 1000; i++) {
			admitted += nearTheWrap.tryAdmitP10() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(100);
		advance(Duration.ofMillis(500));
		for (int i = 0; i < 1000; i++) {
			admitted += nearTheWrap.tryAdmitP10() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(150);
	}

	@Test
	void settingsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AimdSettings(10, 1, 1.0, 1, 10))
			.withMessageContaining("beta");
		assertThatIllegalArgumentException().isThrownBy(() -> new AimdSettings(10, 0, 0.5, 1, 10))
			.withMessageContaining("alpha");
		assertThatIllegalArgumentException().isThrownBy(() -> new AimdSettings(10, 1, 0.5, 0.5, 10))
			.withMessageContaining("floor");
		assertThatIllegalArgumentException().isThrownBy(() -> new AimdSettings(10, 1, 0.5, 20, 10))
			.withMessageContaining("ceiling");
		assertThatIllegalArgumentException().isThrownBy(() -> new AimdSettings(50, 1, 0.5, 1, 10))
			.withMessageContaining("initial-rate");
	}

	private int admit(int attempts) {
		int admitted = 0;
		for (int i = 0; i < attempts; i++) {
			if (this.slo.tryAdmitP10()) {
				admitted++;
			}
		}
		return admitted;
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
