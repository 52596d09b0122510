package io.eventgateway.orchestrator.fleet;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code serving} in {@code /actuator/health} and the readiness group: DOWN while the
 * orchestrator is fenced, so that Kubernetes stops routing workers to it; never part of
 * liveness, since a restart would not bring the cluster back. A fleet on standby is UP:
 * it still settles the leases it handed out.
 */
public class ServingHealthIndicator extends AbstractHealthIndicator {

	private final ServingGate gate;

	private final String fleet;

	/**
	 * @param gate the serving decision
	 * @param fleet this orchestrator's fleet name
	 */
	public ServingHealthIndicator(ServingGate gate, String fleet) {
		super("Serving check failed");
		this.gate = gate;
		this.fleet = fleet;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Standing standing = this.gate.standing();
		BrokerContact contact = this.gate.contact();
		builder.status((standing == Standing.FENCED) ? "DOWN" : "UP")
			.withDetail("standing", standing.name())
			.withDetail("fleet", this.fleet)
			.withDetail("fleetActive", this.gate.isFleetActive())
			.withDetail("secondsSinceBrokerContact", contact.silence().toMillis() / 1000.0)
			.withDetail("fencings", contact.fencings());
	}

}
