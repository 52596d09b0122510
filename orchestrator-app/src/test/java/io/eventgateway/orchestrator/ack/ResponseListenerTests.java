package io.eventgateway.orchestrator.ack;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.RecordPosition;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

class ResponseListenerTests {

	private static final String TOPIC = "events.responses";

	private final TaskStateController controller = mock(TaskStateController.class);

	private final List<String> undecodable = new ArrayList<>();

	private final List<String> failed = new ArrayList<>();

	private final ResponseListener listener = new ResponseListener(this.controller, (topic, millis) -> {
	}, this.undecodable::add, this.failed::add);

	private long offset;

	@Test
	void foreignRecordsAreSkippedAndCountedWhileTheirNeighboursAreApplied() {
		TaskResponse good = response("lease-1", true);
		byte[] notProtobuf = { (byte) 0xff, (byte) 0xff, (byte) 0xff };

		this.listener.onResponses(List.of(record(notProtobuf), record(null), record(good.toByteArray())));

		then(this.controller).should().answer(good);
		then(this.controller).should(times(1)).answer(argThat((response) -> true));
		assertThat(this.undecodable).containsExactly(TOPIC, TOPIC);
		assertThat(this.failed).isEmpty();
	}

	@Test
	void answersThatParseButCannotBeUsedAreSkippedAsUndecodable() {
		// An empty record parses as a response with nothing in it.
		this.listener.onResponses(List.of(record(new byte[0]), record(response("", true).toByteArray()),
				record(response("lease-1", false).toByteArray())));

		then(this.controller).shouldHaveNoInteractions();
		assertThat(this.undecodable).hasSize(3);
	}

	@Test
	void anAnswerTheControllerFailsOnCostsOnlyItself() {
		TaskResponse bad = response("lease-bad", true);
		TaskResponse good = response("lease-good", true);
		willThrow(new IllegalStateException("hand-off refused")).given(this.controller).answer(bad);

		this.listener.onResponses(List.of(record(bad.toByteArray()), record(good.toByteArray())));

		then(this.controller).should().answer(good);
		assertThat(this.failed).containsExactly(TOPIC);
		assertThat(this.undecodable).isEmpty();
	}

	private ConsumerRecord<String, byte[]> record(byte[] value) {
		return new ConsumerRecord<>(TOPIC, 0, this.offset++, null, value);
	}

	private static TaskResponse response(String leaseId, boolean withPosition) {
		TaskOutcome.Builder outcome = TaskOutcome.newBuilder().setVerdict(TaskOutcome.Verdict.ACK);
		if (withPosition) {
			outcome.setPosition(RecordPosition.newBuilder().setTopic("events.p10").setPartition(0).setOffset(7));
		}
		return TaskResponse.newBuilder().setLeaseId(leaseId).addOutcomes(outcome).build();
	}

}
