package io.eventgateway.orchestrator.ack;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventgateway.common.trace.LogContext;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;

/**
 * Consumes this replica's partition of the responses topic (its index, from the
 * {@code ReplicaIdentity} bean) and hands each worker answer to the task state
 * controller.
 *
 * <p>
 * A record costs only itself: one that does not decode as a usable answer (a tombstone, a
 * test message, another version's format) is skipped, logged once at WARN by its position
 * (never its content) and counted; an answer the controller fails on is logged at ERROR
 * and counted, and the rest of the batch is still applied. A skipped answer costs at most
 * a lease expiry: its tasks are served again. Called on the listener container's thread.
 */
public class ResponseListener {

	private static final Log logger = LogFactory.getLog(ResponseListener.class);

	private final TaskStateController controller;

	private final ObjLongConsumer<String> pollDelays;

	private final Consumer<String> undecodable;

	private final Consumer<String> failed;

	/**
	 * @param controller where answers go
	 * @param pollDelays told how old (milliseconds) the first answer of each batch was
	 * @param undecodable told the topic of each record skipped as not a usable answer
	 * @param failed told the topic of each answer the controller failed on
	 */
	public ResponseListener(TaskStateController controller, ObjLongConsumer<String> pollDelays,
			Consumer<String> undecodable, Consumer<String> failed) {
		this.controller = controller;
		this.pollDelays = pollDelays;
		this.undecodable = undecodable;
		this.failed = failed;
	}

	@KafkaListener(id = "gateway-responses", groupId = "${gateway.orchestrator.consumer-group}-responses",
			topicPartitions = @TopicPartition(topic = "#{@topicLayout.responses()}",
					partitions = "#{@replicaIdentity.index()}"),
			batch = "true",
			properties = { "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
					"value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
					"auto.offset.reset=earliest", "enable.auto.commit=false" })
	void onResponses(List<ConsumerRecord<String, byte[]>> records) {
		if (!records.isEmpty()) {
			this.pollDelays.accept(records.get(0).topic(), System.currentTimeMillis() - records.get(0).timestamp());
		}
		for (ConsumerRecord<String, byte[]> record : records) {
			TaskResponse response = decode(record);
			if (response == null) {
				continue;
			}
			try {
				this.controller.answer(response);
			}
			catch (RuntimeException ex) {
				// Only this answer is lost; its tasks return when their lease expires.
				this.failed.accept(record.topic());
				try (LogContext context = LogContext.lease(response.getLeaseId())
					.at(record.topic(), record.partition(), record.offset())) {
					logger.error("Could not apply the response at " + where(record) + " (lease " + response.getLeaseId()
							+ "); going on with the rest of the batch", ex);
				}
			}
		}
	}

	/** The answer in the record, or {@code null} (logged and counted) when unusable. */
	private TaskResponse decode(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return skip(record, "no value (tombstone)");
		}
		TaskResponse response;
		try {
			response = TaskResponse.parseFrom(record.value());
		}
		catch (InvalidProtocolBufferException ex) {
			return skip(record, "not a TaskResponse: " + ex.getMessage());
		}
		// Bytes of another format may parse as an answer with fields missing.
		if (response.getLeaseId().isEmpty()) {
			return skip(record, "no lease id");
		}
		for (TaskOutcome outcome : response.getOutcomesList()) {
			if (!outcome.hasPosition() || outcome.getPosition().getTopic().isEmpty()) {
				return skip(record, "an outcome without a position");
			}
		}
		return response;
	}

	private TaskResponse skip(ConsumerRecord<String, byte[]> record, String reason) {
		this.undecodable.accept(record.topic());
		logger.warn("Skipping undecodable response at " + where(record) + ": " + reason);
		return null;
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

}
