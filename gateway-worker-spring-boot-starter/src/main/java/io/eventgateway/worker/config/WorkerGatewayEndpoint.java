package io.eventgateway.worker.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventgateway.common.event.Priority;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gateway}: the worker's live state for an operator: its settings (dry
 * run or not, loops, batch size), the events it ACKed, NACKed and released per priority,
 * and what went wrong around them (failed batches, lease renewals, unsent answers).
 */
@Endpoint(id = "gateway")
public class WorkerGatewayEndpoint {

	private final WorkerProperties properties;

	private final WorkerStats stats;

	WorkerGatewayEndpoint(WorkerProperties properties, WorkerStats stats) {
		this.properties = properties;
		this.stats = stats;
	}

	@ReadOperation
	public Map<String, Object> state() {
		Map<String, Object> priorities = new LinkedHashMap<>();
		for (Priority priority : Priority.values()) {
			priorities.put(priority.name(), Map.of("acked", this.stats.acked(priority), "nacked",
					this.stats.nacked(priority), "released", this.stats.released(priority)));
		}
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("execute", this.properties.execute());
		state.put("concurrency", this.properties.concurrency());
		state.put("maxTasksPerBatch", this.properties.maxTasksPerBatch());
		state.put("prefetch", this.properties.prefetch());
		state.put("prefetchLead", this.properties.prefetchLead().toString());
		state.put("prefetchHold", this.properties.prefetchHold().toString());
		state.put("maxProcessingTime", this.properties.maxProcessingTime().toString());
		state.put("priorities", priorities);
		state.put("processorFailures", this.stats.processorFailures());
		state.put("leaseRenewals",
				Map.of("renewed", this.stats.renewals(), "failedOrEnded", this.stats.failedRenewals()));
		state.put("unsentAnswers", this.stats.unsentAnswers());
		return state;
	}

}
