package io.eventgateway.worker.fetch;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.RecordPosition;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsePublisherTests {

	// KafkaTemplate closes a producer after each send; a real factory's producer ignores
	// that.
	private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
			new ByteArraySerializer()) {

		@Override
		public void close(java.time.Duration timeout) {
		}

	};

	private final ResponsePublisher responses = new ResponsePublisher(
			new KafkaTemplate<>(new MockProducerFactory<>(() -> this.producer)), "events.responses", "worker-1",
			new WorkerStats(new SimpleMeterRegistry()));

	@Test
	void aLargeAnswerIsSplitIntoRecordsBelowTheRequestLimitKeepingEveryOutcome() throws Exception {
		List<TaskOutcome> outcomes = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			outcomes.add(TaskOutcome.newBuilder()
				.setPosition(RecordPosition.newBuilder().setTopic("events.p10").setPartition(0).setOffset(i))
				.setEventId("event-" + i)
				.setVerdict(TaskOutcome.Verdict.NACK)
				.setReason("é".repeat(1000))
				.build());
		}

		this.responses.send(2, "lease-1", outcomes);

		List<TaskOutcome> sent = new ArrayList<>();
		assertThat(this.producer.history()).hasSizeGreaterThan(1);
		for (ProducerRecord<String, byte[]> record : this.producer.history()) {
			assertThat(record.value().length).isLessThanOrEqualTo(512 * 1024);
			assertThat(record.partition()).isEqualTo(2);
			TaskResponse response = TaskResponse.parseFrom(record.value());
			assertThat(response.getLeaseId()).isEqualTo("lease-1");
			sent.addAll(response.getOutcomesList());
		}
		assertThat(sent).isEqualTo(outcomes);
	}

	@Test
	void aSmallAnswerIsOneRecord() {
		this.responses.send(0, "lease-2",
				List.of(TaskOutcome.newBuilder().setVerdict(TaskOutcome.Verdict.ACK).build()));

		assertThat(this.producer.history()).hasSize(1);
	}

}
