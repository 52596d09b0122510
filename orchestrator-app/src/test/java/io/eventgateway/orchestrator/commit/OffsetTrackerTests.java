package io.eventgateway.orchestrator.commit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTests {

	private final OffsetTracker tracker = new OffsetTracker();

	@Test
	void nothingToCommitBeforeAnythingWasRead() {
		assertThat(this.tracker.committable()).isEmpty();
	}

	@Test
	void commitStopsAtTheLowestUnfinishedOffset() {
		register(10, 11, 12);
		this.tracker.finish(10);

		assertThat(this.tracker.committable()).hasValue(11);
	}

	@Test
	void outOfOrderFinishDoesNotMoveThePastAnUnfinishedOffset() {
		register(10, 11, 12);
		this.tracker.finish(12);
		this.tracker.finish(11);

		assertThat(this.tracker.committable()).hasValue(10);

		this.tracker.finish(10);

		assertThat(this.tracker.committable()).hasValue(13);
	}

	@Test
	void offsetGapsDoNotHoldTheCommitBack() {
		register(10, 14, 20);
		this.tracker.finish(10);
		this.tracker.finish(14);

		assertThat(this.tracker.committable()).hasValue(20);

		this.tracker.finish(20);

		assertThat(this.tracker.committable()).hasValue(21);
	}

	@Test
	void finishingAnUnknownOffsetChangesNothing() {
		register(10, 11);
		this.tracker.finish(99);
		this.tracker.finish(3);

		assertThat(this.tracker.committable()).hasValue(10);
		assertThat(this.tracker.inFlight()).isEqualTo(2);
	}

	@Test
	void anOffsetReadAgainIsNotRegisteredTwiceAndMovesNothing() {
		register(10, 11);
		this.tracker.finish(10);

		assertThat(this.tracker.register(10)).isFalse();
		assertThat(this.tracker.register(11)).isFalse();
		assertThat(this.tracker.committable()).hasValue(11);
		assertThat(this.tracker.nextToRead()).hasValue(12);
		assertThat(this.tracker.register(12)).isTrue();
		assertThat(this.tracker.inFlight()).isEqualTo(2);
	}

	@Test
	void rollingBackForgetsWhatWasRegisteredFromThatOffsetOn() {
		register(10, 11, 12);
		this.tracker.finish(10);

		this.tracker.rollBackTo(11);

		assertThat(this.tracker.nextToRead()).hasValue(11);
		assertThat(this.tracker.inFlight()).isZero();
		assertThat(this.tracker.register(11)).isTrue();
		assertThat(this.tracker.committable()).hasValue(11);
	}

	private void register(long... offsets) {
		for (long offset : offsets) {
			this.tracker.register(offset);
		}
	}

}
