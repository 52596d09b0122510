package io.eventgateway.orchestrator.lag;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLagTests {

	private static final long NOW = 1_000_000_000L;

	@Test
	void lagIsTheEndOffsetMinusTheCommittedOffset() {
		Long position = PartitionLag.position(40L, 0L, true);
		assertThat(new PartitionLag(100, position, NOW - 90_000, true).lag()).isEqualTo(60.0);
	}

	@Test
	void withoutACommitASubscribedGroupResumesAtTheLogStart() {
		Long position = PartitionLag.position(null, 25L, true);
		assertThat(position).isEqualTo(25);
		assertThat(new PartitionLag(30, position, NOW, true).lag()).isEqualTo(5.0);
	}

	@Test
	void withoutACommitAManuallyAssignedGroupIsUnknownNotBehindByItsWholeLog() {
		// Its commits expire while it has no members: an idle replica must not page.
		Long position = PartitionLag.position(null, 25L, false);
		assertThat(position).isNull();
		PartitionLag unknown = new PartitionLag(30, position, null, false);
		assertThat(unknown.lag()).isNaN();
		assertThat(unknown.oldestAgeSeconds(NOW)).isNaN();
		assertThat(ProbedGroup.ofPartition("g-responses", "responses", 0).resumesAtLogStart()).isFalse();
		assertThat(ProbedGroup.of("g-p10", List.of("p10")).resumesAtLogStart()).isTrue();
	}

	@Test
	void theAgeIsTheTimeSinceTheRecordAtTheCommittedOffset() {
		assertThat(new PartitionLag(100, 40L, NOW - 90_500, true).oldestAgeSeconds(NOW)).isEqualTo(90.5);
	}

	@Test
	void nothingUnfinishedHasNoAgeWhateverTheTimestamp() {
		PartitionLag caughtUp = new PartitionLag(100, 100L, NOW - 3_600_000, true);
		assertThat(caughtUp.lag()).isZero();
		assertThat(caughtUp.oldestAgeSeconds(NOW)).isZero();
	}

	@Test
	void anUnreadOldestRecordIsUnknownNotHealthy() {
		assertThat(new PartitionLag(100, 40L, null, false).oldestAgeSeconds(NOW)).isNaN();
	}

	@Test
	void aCommitAheadOfTheEndIsNoLag() {
		// The end offset is read after the commits: a commit may land in between.
		assertThat(new PartitionLag(100, 101L, null, false).lag()).isZero();
	}

	@Test
	void aRecordStampedInTheFutureIsAgeZero() {
		// Producer clocks ahead of ours.
		assertThat(new PartitionLag(100, 40L, NOW + 5_000, true).oldestAgeSeconds(NOW)).isZero();
	}

}
