package io.eventgateway.orchestrator.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.proto.v1.Event;

import static io.eventgateway.orchestrator.support.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskBufferTests {

	private final TaskBuffer buffer = new TaskBuffer();

	@Test
	void takesTheHighestPriorityFirst() throws InterruptedException {
		this.buffer.addAll(List.of(task(Priority.P10, 0), task(Priority.P20, 0), task(Priority.P30, 0)));

		List<BufferedTask> taken = this.buffer.take(3, Long.MAX_VALUE, Duration.ZERO);

		assertThat(taken).extracting(BufferedTask::priority).containsExactly(Priority.P30, Priority.P20, Priority.P10);
	}

	@Test
	void aLowerPriorityPastItsDeadlineStillWaitsBehindAHigherOne() throws InterruptedException {
		// An overloaded P20: ingested two minutes ago, a minute past its deadline, which
		// is
		// far earlier than the deadline of the P30 event ingested now.
		Instant now = Instant.parse("2026-01-01T00:10:00Z");
		BufferedTask lateP20 = Tasks.ingestedAt(Priority.P20, 0, now.minus(Duration.ofMinutes(2)));
		BufferedTask lateP10 = Tasks.ingestedAt(Priority.P10, 0, now.minus(Duration.ofMinutes(30)));
		BufferedTask freshP30 = Tasks.ingestedAt(Priority.P30, 0, now);
		this.buffer.addAll(List.of(lateP10, lateP20, freshP30));

		assertThat(this.buffer.take(3, Long.MAX_VALUE, Duration.ZERO)).containsExactly(freshP30, lateP20, lateP10);
	}

	@Test
	void withinAPriorityTheEarliestDeadlineComesFirst() throws InterruptedException {
		Instant now = Instant.parse("2026-01-01T00:10:00Z");
		BufferedTask later = Tasks.ingestedAt(Priority.P20, 0, now);
		BufferedTask earlier = Tasks.ingestedAt(Priority.P20, 1, now.minus(Duration.ofSeconds(30)));
		this.buffer.addAll(List.of(later, earlier));

		assertThat(this.buffer.take(2, Long.MAX_VALUE, Duration.ZERO)).containsExactly(earlier, later);
	}

	@Test
	void equalDeadlinesAreTakenInArrivalOrder() throws InterruptedException {
		this.buffer.addAll(List.of(task(Priority.P10, 5), task(Priority.P10, 6), task(Priority.P10, 7)));

		assertThat(this.buffer.take(3, Long.MAX_VALUE, Duration.ZERO)).extracting((task) -> task.position().offset())
			.containsExactly(5L, 6L, 7L);
	}

	@Test
	void takesAtMostTheRequestedNumber() throws InterruptedException {
		this.buffer.addAll(List.of(task(Priority.P10, 0), task(Priority.P10, 1), task(Priority.P10, 2)));

		assertThat(this.buffer.take(2, Long.MAX_VALUE, Duration.ZERO)).hasSize(2);
		assertThat(this.buffer.size()).isEqualTo(1);
	}

	@Test
	void takesNoMoreBytesThanTheBudgetAndLeavesTheRestForTheNextCall() throws InterruptedException {
		List<BufferedTask> tasks = List.of(sized(0, 1000), sized(1, 1000), sized(2, 1000));
		this.buffer.addAll(tasks);
		long budget = tasks.get(0).wireBytes() + tasks.get(1).wireBytes();

		assertThat(this.buffer.take(10, budget, Duration.ZERO)).extracting((task) -> task.position().offset())
			.containsExactly(0L, 1L);
		assertThat(this.buffer.take(10, budget, Duration.ZERO)).extracting((task) -> task.position().offset())
			.containsExactly(2L);
	}

	@Test
	void budgetCountsTheSerializedEventAndAFramingEstimate() throws InterruptedException {
		BufferedTask task = sized(0, 1000);
		this.buffer.addAll(List.of(task, sized(1, 1000)));

		assertThat(task.wireBytes()).isGreaterThan(task.serializedEvent().size());
		// Room for both events' bytes, but not for their framing as well.
		long eventBytesOnly = 2L * task.serializedEvent().size();
		assertThat(this.buffer.take(10, eventBytesOnly, Duration.ZERO)).hasSize(1);
	}

	@Test
	void aTaskLargerThanTheBudgetIsStillTakenAlone() throws InterruptedException {
		this.buffer.addAll(List.of(sized(0, 300 * 1024), sized(1, 10)));

		assertThat(this.buffer.take(10, 1024, Duration.ZERO)).extracting((task) -> task.position().offset())
			.containsExactly(0L);
		assertThat(this.buffer.size()).isEqualTo(1);
	}

	@Test
	void aTaskThatDoesNotFitKeepsItsPlaceAheadOfSmallerLaterOnes() throws InterruptedException {
		BufferedTask small = sized(Priority.P30, 0, 10);
		BufferedTask large = sized(Priority.P20, 1, 100_000);
		BufferedTask later = sized(Priority.P10, 2, 10);
		this.buffer.addAll(List.of(later, large, small));

		// The budget has room for small and later, but later must not overtake large.
		assertThat(this.buffer.take(10, small.wireBytes() + later.wireBytes(), Duration.ZERO))
			.extracting(BufferedTask::priority)
			.containsExactly(Priority.P30);
		assertThat(this.buffer.take(10, small.wireBytes() + later.wireBytes(), Duration.ZERO))
			.extracting(BufferedTask::priority)
			.containsExactly(Priority.P20);
		assertThat(this.buffer.events(Priority.P20)).isZero();
		assertThat(this.buffer.events(Priority.P10)).isEqualTo(1);
	}

	@Test
	void countLimitAppliesWithinTheBudget() throws InterruptedException {
		this.buffer.addAll(List.of(sized(0, 10), sized(1, 10), sized(2, 10)));

		assertThat(this.buffer.take(2, Long.MAX_VALUE, Duration.ZERO)).hasSize(2);
	}

	@Test
	void accountsBytesAndEventsPerPriority() throws InterruptedException {
		BufferedTask p30 = task(Priority.P30, 0);
		BufferedTask p10 = task(Priority.P10, 0);
		this.buffer.addAll(List.of(p30, p10, task(Priority.P10, 1)));

		assertThat(this.buffer.events(Priority.P30)).isEqualTo(1);
		assertThat(this.buffer.bytes(Priority.P30)).isEqualTo(p30.bytes());
		assertThat(this.buffer.events(Priority.P10)).isEqualTo(2);
		assertThat(this.buffer.bytes(Priority.P10)).isEqualTo(2 * p10.bytes());

		this.buffer.take(1, Long.MAX_VALUE, Duration.ZERO);

		assertThat(this.buffer.events(Priority.P30)).isZero();
		assertThat(this.buffer.bytes(Priority.P30)).isZero();
		assertThat(this.buffer.events(Priority.P10)).isEqualTo(2);
	}

	@Test
	void emptyBufferReturnsNothingOnceTheWaitIsOver() throws InterruptedException {
		assertThat(this.buffer.take(10, Long.MAX_VALUE, Duration.ofMillis(20))).isEmpty();
	}

	@Test
	void waitingTakerWakesWhenTasksArrive() throws Exception {
		CompletableFuture<List<BufferedTask>> taken = takeAsync();
		await().until(() -> this.buffer.hasWaitingTakers());

		this.buffer.addAll(List.of(task(Priority.P30, 0)));

		assertThat(taken.get(10, TimeUnit.SECONDS)).hasSize(1);
	}

	@Test
	void closingReleasesWaitingTakersEmptyHanded() throws Exception {
		CompletableFuture<List<BufferedTask>> taken = takeAsync();
		await().until(() -> this.buffer.hasWaitingTakers());

		this.buffer.close();

		assertThat(taken.get(10, TimeUnit.SECONDS)).isEmpty();
	}

	@Test
	void earliestDeadlineIsPerPriority() throws InterruptedException {
		BufferedTask p10 = task(Priority.P10, 0);
		this.buffer.addAll(List.of(p10, task(Priority.P30, 0)));

		assertThat(this.buffer.earliestDeadline(Priority.P10)).isEqualTo(p10.deadline());
		assertThat(this.buffer.earliestDeadline(Priority.P20)).isNull();
	}

	@Test
	void earliestDeadlineFollowsTakes() throws InterruptedException {
		java.time.Instant start = Tasks.INGESTED_AT;
		BufferedTask first = Tasks.ingestedAt(Priority.P20, 1, start);
		BufferedTask second = Tasks.ingestedAt(Priority.P20, 2, start.plusSeconds(30));
		this.buffer.addAll(List.of(second, first));

		assertThat(this.buffer.earliestDeadline(Priority.P20)).isEqualTo(first.deadline());
		assertThat(this.buffer.take(1, Long.MAX_VALUE, Duration.ZERO)).containsExactly(first);
		assertThat(this.buffer.earliestDeadline(Priority.P20)).isEqualTo(second.deadline());
		this.buffer.take(1, Long.MAX_VALUE, Duration.ZERO);
		assertThat(this.buffer.earliestDeadline(Priority.P20)).isNull();
	}

	@Test
	void removeIfDropsMatchingTasksAndTheirBytes() throws InterruptedException {
		this.buffer.addAll(List.of(task(Priority.P10, "events.p10", 0, 0), task(Priority.P10, "events.p10", 1, 0)));

		List<BufferedTask> removed = this.buffer.removeIf((task) -> task.position().partition() == 1);

		assertThat(removed).extracting((task) -> task.position().partition()).containsExactly(1);
		assertThat(this.buffer.events(Priority.P10)).isEqualTo(1);
		assertThat(this.buffer.take(10, Long.MAX_VALUE, Duration.ZERO))
			.extracting((task) -> task.position().partition())
			.containsExactly(0);
	}

	private static BufferedTask sized(long offset, int payloadBytes) {
		return sized(Priority.P10, offset, payloadBytes);
	}

	/** A task whose event carries a payload of the given size. */
	private static BufferedTask sized(Priority priority, long offset, int payloadBytes) {
		BufferedTask task = task(priority, offset);
		Event event = task.event().toBuilder().setRawPayload(ByteString.copyFrom(new byte[payloadBytes])).build();
		return BufferedTask.of(event, task.position());
	}

	private CompletableFuture<List<BufferedTask>> takeAsync() {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return this.buffer.take(10, Long.MAX_VALUE, Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void theOldestIngestTimeFollowsAddsTakesAndRemovals() throws InterruptedException {
		java.time.Instant start = Tasks.INGESTED_AT;
		assertThat(this.buffer.oldestIngested(Priority.P30)).isNull();
		this.buffer.addAll(List.of(Tasks.ingestedAt(Priority.P30, 1, start.plusSeconds(10)),
				Tasks.ingestedAt(Priority.P30, 2, start), Tasks.ingestedAt(Priority.P30, 3, start),
				Tasks.ingestedAt(Priority.P10, 4, start.plusSeconds(5))));

		assertThat(this.buffer.oldestIngested(Priority.P30)).isEqualTo(start);
		assertThat(this.buffer.oldestIngested(Priority.P10)).isEqualTo(start.plusSeconds(5));
		assertThat(this.buffer.oldestIngested(Priority.P20)).isNull();

		// Highest priority first: the two P30 tasks ingested at the start, one by one.
		this.buffer.take(1, Long.MAX_VALUE, Duration.ZERO);
		assertThat(this.buffer.oldestIngested(Priority.P30)).isEqualTo(start);
		this.buffer.take(1, Long.MAX_VALUE, Duration.ZERO);
		assertThat(this.buffer.oldestIngested(Priority.P30)).isEqualTo(start.plusSeconds(10));

		this.buffer.removeIf((task) -> task.priority() == Priority.P30);
		assertThat(this.buffer.oldestIngested(Priority.P30)).isNull();
		assertThat(this.buffer.oldestIngested(Priority.P10)).isEqualTo(start.plusSeconds(5));
	}

}
