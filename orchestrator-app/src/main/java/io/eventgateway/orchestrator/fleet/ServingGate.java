package io.eventgateway.orchestrator.fleet;

import java.util.function.BooleanSupplier;

/**
 * Decides this orchestrator's {@link Standing} from its fleet's place in
 * {@code active-fleets} and its contact with the cluster. Fencing wins over standby:
 * without the cluster, not even the commits of a graceful standby are possible.
 *
 * <p>
 * Thread-safe; asked by the source consumers before every poll, by FetchTasks on every
 * call, by the flow-control emitter at every tick and by health.
 */
public class ServingGate {

	private final BooleanSupplier fleetActive;

	private final BrokerContact contact;

	/**
	 * @param fleetActive whether this orchestrator's fleet is active now (a hot setting)
	 * @param contact the contact with the cluster
	 */
	public ServingGate(BooleanSupplier fleetActive, BrokerContact contact) {
		this.fleetActive = fleetActive;
		this.contact = contact;
	}

	/** The standing now. */
	public Standing standing() {
		if (this.contact.isFenced()) {
			return Standing.FENCED;
		}
		return this.fleetActive.getAsBoolean() ? Standing.SERVING : Standing.STANDBY;
	}

	/** Whether this orchestrator's fleet is active now, fenced or not. */
	public boolean isFleetActive() {
		return this.fleetActive.getAsBoolean();
	}

	/** The contact with the cluster. */
	public BrokerContact contact() {
		return this.contact;
	}

}
