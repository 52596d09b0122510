package io.eventgateway.orchestrator.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.retry.FailedTaskSink;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** FetchTasks leases only while the orchestrator serves. */
class FencedFetchTests {

	private final TaskBuffer buffer = new TaskBuffer();

	private final LeaseTable leases = new LeaseTable(Clock.systemUTC());

	private final AtomicReference<Standing> standing = new AtomicReference<>(Standing.SERVING);

	private final EventsOrchestratorGrpcService service = new EventsOrchestratorGrpcService(new TaskStateController(
			this.buffer, this.leases, new OffsetTrackers(), new MemoryLedger(), mock(FailedTaskSink.class),
			() -> new TaskStateController.Settings(Duration.ofSeconds(30), 3), (topic) -> {
			}), this.leases,
			new EventsOrchestratorGrpcService.FetchLimits(100, 1_000_000, Duration.ofMillis(50), Duration.ofMinutes(1)),
			0, (nanos, tasks) -> {
			}, this.standing::get);

	@Test
	void aFencedOrchestratorRefusesWithUnavailableAndLeasesNothing() {
		this.buffer.addAll(List.of(task()));
		this.standing.set(Standing.FENCED);

		Recorder recorder = fetch();

		assertThat(recorder.error).isNotNull();
		assertThat(Status.fromThrowable(recorder.error).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(this.leases.outstanding()).isZero();
		assertThat(this.buffer.size()).isEqualTo(1);
	}

	@Test
	void aFleetOnStandbyAnswersWithNoTasksAndServingLeasesAgain() {
		this.buffer.addAll(List.of(task()));
		this.standing.set(Standing.STANDBY);

		assertThat(fetch().answers).singleElement().satisfies((answer) -> assertThat(answer.getTasksCount()).isZero());

		this.standing.set(Standing.SERVING);

		assertThat(fetch().answers).singleElement()
			.satisfies((answer) -> assertThat(answer.getTasksCount()).isEqualTo(1));
	}

	private Recorder fetch() {
		Recorder recorder = new Recorder();
		this.service.fetchTasks(FetchTasksRequest.newBuilder()
			.setMaxTasks(10)
			.setMaxWait(ProtoTime.duration(Duration.ofMillis(10)))
			.build(), recorder);
		return recorder;
	}

	private static BufferedTask task() {
		return Tasks.task(Priority.P30, "events.p30", 0, 0);
	}

	private static final class Recorder implements StreamObserver<FetchTasksResponse> {

		private final List<FetchTasksResponse> answers = new ArrayList<>();

		private Throwable error;

		@Override
		public void onNext(FetchTasksResponse value) {
			this.answers.add(value);
		}

		@Override
		public void onError(Throwable t) {
			this.error = t;
		}

		@Override
		public void onCompleted() {
		}

	}

}
