package io.eventgateway.common.event;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.RecordPosition;
import io.eventgateway.proto.v1.Task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskEventsTests {

	private static final Event EVENT = Event.newBuilder().setEventId("e-1").setCompanyId("acme").setAttempt(2).build();

	@Test
	void readsTheDecodedForm() {
		assertThat(TaskEvents.event(Task.newBuilder().setEvent(EVENT).build())).isEqualTo(EVENT);
	}

	@Test
	void decodesTheSerializedForm() {
		Task task = Task.newBuilder().setSerializedEvent(EVENT.toByteString()).build();

		assertThat(TaskEvents.event(task)).isEqualTo(EVENT);
	}

	@Test
	void readsTheSerializedFormAfterTheWire() throws Exception {
		byte[] wire = Task.newBuilder().setSerializedEvent(EVENT.toByteString()).build().toByteArray();
		Task received = Task.parseFrom(wire);

		assertThat(TaskEvents.event(received)).isEqualTo(EVENT);
	}

	@Test
	void namesThePositionOfAnEventThatDoesNotDecode() {
		Task task = Task.newBuilder()
			.setSerializedEvent(ByteString.copyFrom(new byte[] { (byte) 0xff, (byte) 0xff }))
			.setPosition(RecordPosition.newBuilder().setTopic("events.p30").setPartition(1).setOffset(42))
			.build();

		assertThatIllegalArgumentException().isThrownBy(() -> TaskEvents.event(task))
			.withMessageContaining("events.p30/1@42");
	}

}
