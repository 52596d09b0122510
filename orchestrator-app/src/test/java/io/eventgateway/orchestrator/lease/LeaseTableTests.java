package io.eventgateway.orchestrator.lease;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;

import static io.eventgateway.orchestrator.support.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

class LeaseTableTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final MutableClock clock = new MutableClock(Tasks.INGESTED_AT);

	private final LeaseTable leases = new LeaseTable(this.clock);

	private final BufferedTask first = task(Priority.P10, 0);

	private final BufferedTask second = task(Priority.P10, 1);

	@Test
	void leaseDeadlineIsNowPlusTheTimeout() {
		Lease lease = this.leases.open(List.of(this.first), TIMEOUT);

		assertThat(lease.deadline()).isEqualTo(Tasks.INGESTED_AT.plus(TIMEOUT));
		assertThat(this.leases.outstanding()).isEqualTo(1);
	}

	@Test
	void leaseIsNotExpiredBeforeItsDeadline() {
		this.leases.open(List.of(this.first), TIMEOUT);
		this.clock.advance(TIMEOUT.minusMillis(1));

		assertThat(this.leases.expireDue()).isEmpty();
		assertThat(this.leases.outstanding()).isEqualTo(1);
	}

	@Test
	void expiredLeaseHandsBackItsUnansweredTasks() {
		Lease lease = this.leases.open(List.of(this.first, this.second), TIMEOUT);
		this.leases.answer(lease.id(), this.first.position());
		this.clock.advance(TIMEOUT);

		assertThat(this.leases.expireDue()).containsExactly(this.second);
		assertThat(this.leases.outstanding()).isZero();
		assertThat(this.leases.expiredCount()).isEqualTo(1);
	}

	@Test
	void answerAfterExpiryIsIgnoredAndCounted() {
		Lease lease = this.leases.open(List.of(this.first), TIMEOUT);
		this.clock.advance(TIMEOUT);
		this.leases.expireDue();

		assertThat(this.leases.answer(lease.id(), this.first.position())).isNull();
		assertThat(this.leases.lateAnswerCount()).isEqualTo(1);
	}

	@Test
	void partialAnswerKeepsTheLeaseOpenForTheRest() {
		Lease lease = this.leases.open(List.of(this.first, this.second), TIMEOUT);

		assertThat(this.leases.answer(lease.id(), this.first.position())).isEqualTo(this.first);
		assertThat(this.leases.outstanding()).isEqualTo(1);
		assertThat(lease.pendingTasks()).containsExactly(this.second);
	}

	@Test
	void answeringEveryTaskClosesTheLease() {
		Lease lease = this.leases.open(List.of(this.first, this.second), TIMEOUT);
		this.leases.answer(lease.id(), this.first.position());
		this.leases.answer(lease.id(), this.second.position());

		assertThat(this.leases.outstanding()).isZero();
		this.clock.advance(TIMEOUT);
		assertThat(this.leases.expireDue()).isEmpty();
		assertThat(this.leases.expiredCount()).isZero();
	}

	@Test
	void duplicateAnswerIsIgnored() {
		Lease lease = this.leases.open(List.of(this.first, this.second), TIMEOUT);
		this.leases.answer(lease.id(), this.first.position());

		assertThat(this.leases.answer(lease.id(), this.first.position())).isNull();
		assertThat(this.leases.lateAnswerCount()).isEqualTo(1);
	}

	@Test
	void aShorterRenewalNeverShortensALease() {
		Lease lease = this.leases.open(List.of(this.first), TIMEOUT);

		assertThat(this.leases.renew(lease.id(), Duration.ofMillis(1))).hasValue(lease.deadline());
		this.clock.advance(TIMEOUT.minusSeconds(1));

		assertThat(this.leases.expireDue()).isEmpty();
	}

	@Test
	void renewedLeaseOutlivesItsOriginalDeadline() {
		Lease lease = this.leases.open(List.of(this.first), TIMEOUT);
		this.clock.advance(TIMEOUT.minusSeconds(1));

		assertThat(this.leases.renew(lease.id(), Duration.ofMinutes(1)))
			.hasValue(this.clock.instant().plus(Duration.ofMinutes(1)));
		this.clock.advance(Duration.ofSeconds(2));

		assertThat(this.leases.expireDue()).isEmpty();
		assertThat(this.leases.renewedCount()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.leases.expireDue()).containsExactly(this.first);
	}

	@Test
	void expiredLeaseCannotBeRenewed() {
		Lease lease = this.leases.open(List.of(this.first), TIMEOUT);
		this.clock.advance(TIMEOUT);
		this.leases.expireDue();

		assertThat(this.leases.renew(lease.id(), Duration.ofMinutes(1))).isEmpty();
		assertThat(this.leases.renewedCount()).isZero();
	}

	@Test
	void answerForAnUnknownLeaseIsIgnored() {
		assertThat(this.leases.answer("no-such-lease", this.first.position())).isNull();
	}

	@Test
	void theOldestLeasedIngestTimeIsTheEarliestOverOpenLeases() {
		java.time.Instant start = Tasks.INGESTED_AT;
		assertThat(this.leases.oldestLeasedIngestTime(Priority.P30)).isNull();
		Lease first = this.leases.open(List.of(Tasks.ingestedAt(Priority.P30, 1, start.plusSeconds(10)),
				Tasks.ingestedAt(Priority.P10, 2, start.plusSeconds(5))), TIMEOUT);
		Lease second = this.leases.open(List.of(Tasks.ingestedAt(Priority.P30, 3, start)), TIMEOUT);

		assertThat(this.leases.oldestLeasedIngestTime(Priority.P30)).isEqualTo(start);
		assertThat(this.leases.oldestLeasedIngestTime(Priority.P10)).isEqualTo(start.plusSeconds(5));
		assertThat(this.leases.oldestLeasedIngestTime(Priority.P20)).isNull();

		// A completed lease no longer counts.
		this.leases.answer(second.id(), second.pendingTasks().get(0).position());
		assertThat(this.leases.oldestLeasedIngestTime(Priority.P30)).isEqualTo(start.plusSeconds(10));
		this.clock.advance(TIMEOUT);
		this.leases.expireDue();
		assertThat(this.leases.oldestLeasedIngestTime(Priority.P30)).isNull();
		assertThat(first.pendingTasks()).isEmpty();
	}

}
