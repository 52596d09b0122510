package io.eventgateway.worker.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.TaskResponse;

import static org.awaitility.Awaitility.await;

/** The worker's answers as the orchestrator reads them: from the responses topic. */
public final class ResponsesTopic {

	private ResponsesTopic() {
	}

	/**
	 * Reads the topic from its start, in a group of its own, until at least this many
	 * answers have come (30 s at most), each decoded as the orchestrator decodes it.
	 */
	public static List<TaskResponse> answers(String topic, int atLeast) {
		List<TaskResponse> answers = new CopyOnWriteArrayList<>();
		Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				KafkaTestBroker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "answers-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					answers.add(TaskResponse.parseFrom(record.value()));
				}
				return answers.size() >= atLeast;
			});
		}
		return answers;
	}

}
