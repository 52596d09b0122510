package io.eventgateway.worker.fetch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Sends a worker's answers to the responses-topic partition of the orchestrator that
 * leased the tasks. A lost answer is safe: the lease expires and the tasks are served
 * again. So a failure to write one, whether the producer refuses it at once (broker down,
 * metadata timeout) or later, is logged and counted, never thrown at the fetch loop.
 *
 * <p>
 * Thread-safe: fetch loops share one instance (the Kafka template is thread-safe).
 */
public class ResponsePublisher {

	private static final Log logger = LogFactory.getLog(ResponsePublisher.class);

	private final KafkaTemplate<String, byte[]> kafkaTemplate;

	private final String responsesTopic;

	private final String workerId;

	/**
	 * Well below Kafka's default 1 MB request limit, headers and batch framing included.
	 */
	private static final int MAX_RECORD_BYTES = 512 * 1024;

	private final WorkerStats stats;

	public ResponsePublisher(KafkaTemplate<String, byte[]> kafkaTemplate, String responsesTopic, String workerId,
			WorkerStats stats) {
		this.kafkaTemplate = kafkaTemplate;
		this.responsesTopic = responsesTopic;
		this.workerId = workerId;
		this.stats = stats;
	}

	/**
	 * Sends the outcomes of one lease to orchestrator {@code replicaIndex},
	 * asynchronously.
	 */
	public void send(int replicaIndex, String leaseId, List<TaskOutcome> outcomes) {
		// Large leases with long NACK reasons are answered in several records, each well
		// below the producer's request limit; the orchestrator applies each outcome
		// alone.
		TaskResponse.Builder response = newResponse(leaseId);
		long bytes = 0;
		for (TaskOutcome outcome : outcomes) {
			// The outcome plus its field tag and length prefix.
			long outcomeBytes = outcome.getSerializedSize() + 8L;
			if (response.getOutcomesCount() > 0 && bytes + outcomeBytes > MAX_RECORD_BYTES) {
				sendOne(replicaIndex, leaseId, response.build());
				response = newResponse(leaseId);
				bytes = 0;
			}
			response.addOutcomes(outcome);
			bytes += outcomeBytes;
		}
		sendOne(replicaIndex, leaseId, response.build());
	}

	private TaskResponse.Builder newResponse(String leaseId) {
		return TaskResponse.newBuilder().setLeaseId(leaseId).setWorkerId(this.workerId);
	}

	private void sendOne(int replicaIndex, String leaseId, TaskResponse response) {
		CompletableFuture<SendResult<String, byte[]>> sending;
		try {
			sending = this.kafkaTemplate
				.send(new ProducerRecord<>(this.responsesTopic, replicaIndex, leaseId, response.toByteArray()));
		}
		catch (RuntimeException ex) {
			// KafkaTemplate throws at once when, for example, the broker is down long
			// enough for the metadata wait to time out.
			notWritten("send", leaseId, ex);
			return;
		}
		sending.whenComplete((sent, failure) -> {
			if (failure != null) {
				notWritten("delivery", leaseId, failure);
			}
		});
	}

	private void notWritten(String stage, String leaseId, Throwable failure) {
		this.stats.answerNotWritten(stage);
		logger.warn("Answer for lease " + leaseId + " was not written; its tasks are served again after the lease"
				+ " expires: " + failure);
	}

}
