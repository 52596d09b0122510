package io.eventgateway.worker.fetch;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends a worker's answers to the responses-topic partition of the orchestrator that
 * leased the tasks. A lost answer is safe: the lease expires and the tasks are served
 * again.
 */
public class ResponsePublisher {

	private static final Log logger = LogFactory.getLog(ResponsePublisher.class);

	private final KafkaTemplate<String, byte[]> kafkaTemplate;

	private final String responsesTopic;

	private final String workerId;

	public ResponsePublisher(KafkaTemplate<String, byte[]> kafkaTemplate, String responsesTopic, String workerId) {
		this.kafkaTemplate = kafkaTemplate;
		this.responsesTopic = responsesTopic;
		this.workerId = workerId;
	}

	/**
	 * Sends the outcomes of one lease to orchestrator {@code replicaIndex},
	 * asynchronously.
	 */
	public void send(int replicaIndex, String leaseId, List<TaskOutcome> outcomes) {
		TaskResponse response = TaskResponse.newBuilder()
			.setLeaseId(leaseId)
			.setWorkerId(this.workerId)
			.addAllOutcomes(outcomes)
			.build();
		this.kafkaTemplate
			.send(new ProducerRecord<>(this.responsesTopic, replicaIndex, leaseId, response.toByteArray()))
			.whenComplete((sent, failure) -> {
				if (failure != null) {
					logger.warn("Answer for lease " + leaseId + " was not written; its tasks are served again after"
							+ " the lease expires: " + failure.getMessage());
				}
			});
	}

}
