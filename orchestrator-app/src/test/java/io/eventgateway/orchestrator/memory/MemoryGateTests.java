package io.eventgateway.orchestrator.memory;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryGateTests {

	private static final long HEAP = 1_000_000;

	private final AtomicLong held = new AtomicLong();

	private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

	/** Closes above 10% of the heap, opens again below 7%. */
	private final MemoryGate gate = new MemoryGate(this.held::get, HEAP, () -> 10, () -> 3, this.nanos::get);

	@Test
	void staysOpenAtTheThreshold() {
		this.held.set(100_000);

		assertThat(this.gate.check()).isTrue();
		assertThat(this.gate.pauseCount()).isZero();
	}

	@Test
	void closesAboveTheThreshold() {
		this.held.set(100_001);

		assertThat(this.gate.check()).isFalse();
		assertThat(this.gate.isClosed()).isTrue();
		assertThat(this.gate.pauseCount()).isEqualTo(1);
	}

	@Test
	void staysClosedInsideTheHysteresisBand() {
		this.held.set(150_000);
		this.gate.check();
		this.held.set(80_000);

		assertThat(this.gate.check()).isFalse();
		assertThat(this.gate.resumeCount()).isZero();
	}

	@Test
	void opensBelowThresholdMinusHysteresis() {
		this.held.set(150_000);
		this.gate.check();
		this.held.set(69_999);

		assertThat(this.gate.check()).isTrue();
		assertThat(this.gate.resumeCount()).isEqualTo(1);
	}

	@Test
	void countsEachPauseOnce() {
		this.held.set(150_000);
		this.gate.check();
		this.gate.check();
		this.held.set(0);
		this.gate.check();
		this.held.set(150_000);
		this.gate.check();

		assertThat(this.gate.pauseCount()).isEqualTo(2);
		assertThat(this.gate.resumeCount()).isEqualTo(1);
	}

	@Test
	void closesWhenTheNextPollIsExpectedToCrossTheThreshold() {
		// The largest recent poll brought 12,000 bytes: one more would pass 100,000.
		this.gate.read(5_000);
		this.gate.read(12_000);
		this.held.set(88_000);
		assertThat(this.gate.check()).isTrue();

		this.held.set(88_001);
		assertThat(this.gate.check()).isFalse();
		assertThat(this.gate.pauseCount()).isEqualTo(1);
	}

	@Test
	void closesAtMostHalfTheHysteresisBelowTheThresholdSoThatItNeitherFlapsNorPausesAnIdleSource() {
		// A poll larger than the threshold itself.
		this.gate.read(500_000);
		this.held.set(0);
		for (int i = 0; i < 4; i++) {
			assertThat(this.gate.check()).isTrue();
		}
		assertThat(this.gate.pauseCount()).isZero();

		// Not before half of the hysteresis (3 points) below the threshold: that far, and
		// below, a source keeps reading.
		this.held.set(50_000);
		assertThat(this.gate.check()).isTrue();
		this.held.set(85_000);
		assertThat(this.gate.check()).isTrue();
		assertThat(this.gate.pauseCount()).isZero();
		this.held.set(85_001);
		assertThat(this.gate.check()).isFalse();
		this.held.set(70_000);
		assertThat(this.gate.check()).isFalse();
		this.held.set(69_999);
		assertThat(this.gate.check()).isTrue();
		assertThat(this.gate.pauseCount()).isEqualTo(1);
		assertThat(this.gate.resumeCount()).isEqualTo(1);
	}

	@Test
	void expectsAsMuchAsTheLargestOfTheLastPollsOnly() {
		this.gate.read(12_000);
		for (int i = 0; i < MemoryGate.READS_REMEMBERED - 1; i++) {
			this.gate.read(1_000);
		}
		this.held.set(88_001);
		assertThat(this.gate.check()).isFalse();

		// One small poll more: the large one is forgotten.
		this.held.set(0);
		this.gate.check();
		this.gate.read(1_000);
		this.held.set(88_001);
		assertThat(this.gate.check()).isTrue();
	}

	@Test
	void remembersAPollForAMinute() {
		this.gate.read(12_000);
		this.nanos.addAndGet(MemoryGate.READ_MEMORY.minusSeconds(1).toNanos());
		this.held.set(88_001);

		assertThat(this.gate.check()).isFalse();
	}

	@Test
	void forgetsPollsOlderThanAMinute() {
		this.gate.read(12_000);
		this.nanos.addAndGet(MemoryGate.READ_MEMORY.toNanos() + 1);
		this.held.set(88_001);

		assertThat(this.gate.check()).isTrue();
	}

	@Test
	void aGateWhoseHysteresisReachesItsThresholdOpensBelowHalfOfIt() {
		// Threshold minus hysteresis is zero: no held amount is below it.
		MemoryGate wide = new MemoryGate(this.held::get, HEAP, () -> 5, () -> 5);
		this.held.set(60_000);
		wide.check();
		this.held.set(25_000);

		assertThat(wide.check()).isFalse();

		this.held.set(24_999);

		assertThat(wide.check()).isTrue();
		assertThat(wide.resumeCount()).isEqualTo(1);
	}

	@Test
	void aGateWhoseHysteresisExceedsItsThresholdStillOpensOnceItsSourceDrains() {
		MemoryGate wide = new MemoryGate(this.held::get, HEAP, () -> 2, () -> 5);
		this.held.set(60_000);
		wide.check();
		this.held.set(0);

		assertThat(wide.check()).isTrue();
	}

	@Test
	void thresholdBytesFollowTheHeap() {
		assertThat(this.gate.thresholdBytes()).isEqualTo(100_000);
	}

}
