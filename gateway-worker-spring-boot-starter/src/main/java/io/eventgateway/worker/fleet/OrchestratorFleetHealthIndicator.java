package io.eventgateway.worker.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code orchestrator} in {@code /actuator/health}: UP while at least one orchestrator
 * replica reports SERVING through the standard gRPC health service, with each replica's
 * answer, channel state, reported index and leases in progress as details (addresses
 * only, nothing secret).
 *
 * <p>
 * The replicas are asked in parallel, so replicas that do not answer cost one timeout in
 * all, not one each.
 */
public class OrchestratorFleetHealthIndicator extends AbstractHealthIndicator {

	private final OrchestratorFleet fleet;

	private final Duration timeout;

	/**
	 * @param fleet the replicas
	 * @param timeout how long the check waits for the replicas' answers
	 */
	public OrchestratorFleetHealthIndicator(OrchestratorFleet fleet, Duration timeout) {
		super("Orchestrator health check failed");
		this.fleet = fleet;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws InterruptedException {
		List<OrchestratorFleet.ReplicaState> replicas = this.fleet.replicas();
		List<Future<HealthCheckResponse>> checks = new ArrayList<>();
		for (OrchestratorFleet.ReplicaState state : replicas) {
			checks.add(HealthGrpc.newFutureStub(state.replica().channel())
				.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.check(HealthCheckRequest.getDefaultInstance()));
		}
		Map<String, Object> details = new LinkedHashMap<>();
		int serving = 0;
		for (int i = 0; i < replicas.size(); i++) {
			OrchestratorFleet.ReplicaState state = replicas.get(i);
			String answer = answer(checks.get(i));
			if (answer.equals(HealthCheckResponse.ServingStatus.SERVING.name()) && !state.retiring()) {
				serving++;
			}
			Map<String, Object> replica = new LinkedHashMap<>();
			replica.put("status", answer);
			replica.put("channel", state.replica().state().name());
			replica.put("replicaIndex", state.replica().replicaIndex());
			replica.put("retiring", state.retiring());
			replica.put("leasesInProgress", state.holds());
			details.put(state.replica().address(), replica);
		}
		(serving > 0 ? builder.up() : builder.down())
			.withDetail("targets", this.fleet.targets().stream().map(OrchestratorTarget::toString).toList())
			.withDetail("serving", serving)
			.withDetail("replicas", details);
	}

	private String answer(Future<HealthCheckResponse> check) throws InterruptedException {
		try {
			return check.get(this.timeout.toMillis() + 500, TimeUnit.MILLISECONDS).getStatus().name();
		}
		catch (ExecutionException ex) {
			return Status.fromThrowable(ex.getCause()).getCode().name();
		}
		catch (TimeoutException ex) {
			check.cancel(true);
			return Status.Code.DEADLINE_EXCEEDED.name();
		}
	}

}
