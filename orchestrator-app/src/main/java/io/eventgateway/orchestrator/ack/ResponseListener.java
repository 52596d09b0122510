package io.eventgateway.orchestrator.ack;

import java.util.List;
import java.util.function.ObjLongConsumer;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;

/**
 * Consumes this replica's partition of the responses topic and hands each worker answer
 * to the task state controller.
 */
public class ResponseListener {

	private static final Log logger = LogFactory.getLog(ResponseListener.class);

	private final TaskStateController controller;

	private final ObjLongConsumer<String> pollDelays;

	/**
	 * @param controller where answers go
	 * @param pollDelays told how old (milliseconds) the first answer of each batch was
	 */
	public ResponseListener(TaskStateController controller, ObjLongConsumer<String> pollDelays) {
		this.controller = controller;
		this.pollDelays = pollDelays;
	}

	@KafkaListener(id = "gateway-responses", groupId = "${gateway.orchestrator.consumer-group}-responses",
			topicPartitions = @TopicPartition(
					topic = "#{@topicLayout.responses()}", partitions = "${gateway.orchestrator.replica-index}"),
			batch = "true",
			properties = { "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
					"value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
					"auto.offset.reset=earliest", "enable.auto.commit=false" })
	void onResponses(List<ConsumerRecord<String, byte[]>> records) {
		if (!records.isEmpty()) {
			this.pollDelays.accept(records.get(0).topic(), System.currentTimeMillis() - records.get(0).timestamp());
		}
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				this.controller.answer(TaskResponse.parseFrom(record.value()));
			}
			catch (InvalidProtocolBufferException | NullPointerException ex) {
				logger.error("Skipping undecodable response at " + record.topic() + "-" + record.partition() + "@"
						+ record.offset() + ": " + ex.getMessage());
			}
		}
	}

}
