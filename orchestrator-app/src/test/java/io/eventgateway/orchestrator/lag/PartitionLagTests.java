package io.eventgateway.orchestrator.lag;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLagTests {

	private static final long NOW = 1_000_000_000L;

	@Test
	void lagIsTheEndOffsetMinusTheCommittedOffset() {
		long position = PartitionLag.position(40L, 0);
		assertThat(new PartitionLag(100, position, NOW - 90_000).lag()).isEqualTo(60);
	}

	@Test
	void withoutACommitTheGroupResumesAtTheLogStart() {
		long position = PartitionLag.position(null, 25);
		assertThat(position).isEqualTo(25);
		assertThat(new PartitionLag(30, position, NOW).lag()).isEqualTo(5);
	}

	@Test
	void theAgeIsTheTimeSinceTheRecordAtTheCommittedOffset() {
		assertThat(new PartitionLag(100, 40, NOW - 90_500).oldestAgeSeconds(NOW)).isEqualTo(90.5);
	}

	@Test
	void nothingUnfinishedHasNoAgeWhateverTheTimestamp() {
		PartitionLag caughtUp = new PartitionLag(100, 100, NOW - 3_600_000);
		assertThat(caughtUp.lag()).isZero();
		assertThat(caughtUp.oldestAgeSeconds(NOW)).isZero();
	}

	@Test
	void anUnreadOldestRecordIsUnknownNotHealthy() {
		assertThat(new PartitionLag(100, 40, null).oldestAgeSeconds(NOW)).isNaN();
	}

	@Test
	void aCommitAheadOfTheEndIsNoLag() {
		// The end offset is read after the commits: a commit may land in between.
		assertThat(new PartitionLag(100, 101, null).lag()).isZero();
	}

	@Test
	void aRecordStampedInTheFutureIsAgeZero() {
		// Producer clocks ahead of ours.
		assertThat(new PartitionLag(100, 40, NOW + 5_000).oldestAgeSeconds(NOW)).isZero();
	}

}
