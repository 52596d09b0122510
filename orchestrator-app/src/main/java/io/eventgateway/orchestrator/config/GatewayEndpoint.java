package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.SettingsView;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.fleet.ServingGate;
import io.eventgateway.orchestrator.flow.FlowSignalEmitter;
import io.eventgateway.orchestrator.intake.SourceState;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.replica.ReplicaIdentity;
import io.eventgateway.orchestrator.retry.FailureRouter;
import io.eventgateway.orchestrator.task.TaskStateController;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gateway}: the orchestrator's live state for an operator, per priority
 * (waiting and held tasks, deadline slack), per source (paused, memory threshold,
 * partitions with committed offset and lag), for leases and outcomes, and the fleet
 * (name, whether it is active, whether this replica is fenced from its cluster).
 */
@Endpoint(id = "gateway")
public class GatewayEndpoint {

	private final TaskBuffer buffer;

	private final MemoryLedger memory;

	private final LeaseTable leases;

	private final TaskStateController controller;

	private final FailureRouter failures;

	private final OrchestratorSources sources;

	private final ReplicaIdentity replica;

	private final Clock clock;

	private final HotSettings<OrchestratorProperties> settings;

	private final FlowSignalEmitter flowSignals;

	private final ServingGate servingGate;

	GatewayEndpoint(TaskBuffer buffer, MemoryLedger memory, LeaseTable leases, TaskStateController controller,
			FailureRouter failures, OrchestratorSources sources, ReplicaIdentity replica, Clock clock,
			HotSettings<OrchestratorProperties> settings, FlowSignalEmitter flowSignals, ServingGate servingGate) {
		this.servingGate = servingGate;
		this.settings = settings;
		this.flowSignals = flowSignals;
		this.buffer = buffer;
		this.memory = memory;
		this.leases = leases;
		this.controller = controller;
		this.failures = failures;
		this.sources = sources;
		this.replica = replica;
		this.clock = clock;
	}

	@ReadOperation
	public Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("replica",
				Map.of("index", this.replica.index(), "numberOfReplicas", this.replica.numberOfReplicas()));
		Map<String, Object> fleet = new LinkedHashMap<>();
		fleet.put("name", this.settings.current().fleet());
		fleet.put("activeFleets", this.settings.current().activeFleets());
		fleet.put("fleetActive", this.servingGate.isFleetActive());
		fleet.put("standing", this.servingGate.standing().name());
		fleet.put("fenced", this.servingGate.contact().isFenced());
		fleet.put("secondsSinceBrokerContact", this.servingGate.contact().silence().toMillis() / 1000.0);
		fleet.put("fencings", this.servingGate.contact().fencings());
		state.put("fleet", fleet);
		Map<String, Object> priorities = new LinkedHashMap<>();
		Instant now = this.clock.instant();
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			Instant earliest = this.buffer.earliestDeadline(priority);
			Map<String, Object> values = new LinkedHashMap<>();
			values.put("bufferedEvents", this.buffer.events(priority));
			values.put("bufferedBytes", this.buffer.bytes(priority));
			values.put("heldEvents", this.memory.events(priority));
			values.put("heldBytes", this.memory.bytes(priority));
			values.put("oldestDeadlineSlackSeconds",
					(earliest != null) ? Duration.between(now, earliest).toMillis() / 1000.0 : null);
			priorities.put(priority.name(), values);
		}
		state.put("priorities", priorities);
		Map<String, Object> hot = new LinkedHashMap<>();
		hot.put("rejectedRefreshes", this.settings.rejectionCount());
		hot.put("lastRejection", this.settings.lastRejection());
		hot.put("maxRecordsCeiling", this.settings.current().kafka().maxRecordsCeiling());
		hot.put("flowControl", SettingsView.redacted(this.settings.current().flowControl()));
		state.put("settings", hot);
		state.put("flowSignals",
				Map.of("decreases", this.flowSignals.decreases(), "increases", this.flowSignals.increases()));
		Map<String, Object> sourceStates = new LinkedHashMap<>();
		for (OrchestratorSources.Source source : this.sources.all()) {
			SourceState sourceState = source.state();
			Map<String, Object> values = new LinkedHashMap<>();
			values.put("paused", sourceState.isPaused());
			values.put("standing", sourceState.standing().name());
			values.put("pausedForMemory", sourceState.memoryGate().isClosed());
			values.put("thresholdBytes", sourceState.memoryGate().thresholdBytes());
			values.put("pauses", sourceState.memoryGate().pauseCount());
			values.put("resumes", sourceState.memoryGate().resumeCount());
			values.put("maxRecords", source.maxRecords().getAsInt());
			values.put("heldPartitions", sourceState.heldPartitions());
			values.put("waitingBytes", sourceState.waitingBytes());
			Map<String, Object> partitions = new TreeMap<>();
			sourceState.partitions()
				.forEach((partition, progress) -> partitions.put(partition.toString(), Map.of("committed",
						progress.committed(), "endOffset", progress.endOffset(), "lag", progress.lag())));
			values.put("partitions", partitions);
			sourceStates.put(sourceState.name(), values);
		}
		state.put("sources", sourceStates);
		state.put("leases", Map.of("outstanding", this.leases.outstanding(), "expired", this.leases.expiredCount(),
				"renewed", this.leases.renewedCount(), "lateAnswers", this.leases.lateAnswerCount()));
		state.put("tasks",
				Map.of("acked", this.controller.ackedCount(), "nacked", this.controller.nackedCount(), "poisoned",
						this.controller.poisonedCount(), "retried", this.failures.retriedCount(), "deadLettered",
						this.failures.deadLetteredCount()));
		return state;
	}

}
