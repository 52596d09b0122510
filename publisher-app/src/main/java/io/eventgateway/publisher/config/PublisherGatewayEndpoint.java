package io.eventgateway.publisher.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.SettingsView;
import io.eventgateway.publisher.failure.SpoolReplayer;
import io.eventgateway.publisher.route.RolloutRouter;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gateway}: the publisher's live state for an operator: the rollout
 * percentage and target in force, how many events went to each cluster, the spool
 * (whether this instance is the one replaying it), and the last rejected refresh.
 */
@Endpoint(id = "gateway")
public class PublisherGatewayEndpoint {

	private final HotSettings<RolloutSettings> rollout;

	private final RolloutRouter router;

	private final PublisherProperties.Spool spool;

	private final SpoolReplayer replayer;

	PublisherGatewayEndpoint(HotSettings<RolloutSettings> rollout, RolloutRouter router,
			PublisherProperties.Spool spool, SpoolReplayer replayer) {
		this.rollout = rollout;
		this.router = router;
		this.spool = spool;
		this.replayer = replayer;
	}

	@ReadOperation
	public Map<String, Object> state() {
		RolloutSettings current = this.rollout.current();
		Map<String, Object> rolloutState = new LinkedHashMap<>();
		rolloutState.put("percentage", current.percentage());
		rolloutState.put("bootstrapServers", current.bootstrapServers());
		Map<String, Object> routed = new LinkedHashMap<>();
		for (RolloutRouter.Cluster cluster : RolloutRouter.Cluster.values()) {
			routed.put(cluster.name().toLowerCase(java.util.Locale.ROOT), this.router.routedCount(cluster));
		}
		rolloutState.put("routed", routed);
		Map<String, Object> hot = new LinkedHashMap<>();
		hot.put("rejectedRefreshes", this.rollout.rejectionCount());
		hot.put("lastRejection", this.rollout.lastRejection());
		// Every rollout setting, secret-like ones (cluster credentials) masked.
		hot.put("rollout", SettingsView.redacted(current));
		Map<String, Object> spoolState = new LinkedHashMap<>();
		spoolState.put("type", this.spool.type().name().toLowerCase(java.util.Locale.ROOT));
		spoolState.put("persistent", this.spool.isPersistent());
		spoolState.put("shared", this.spool.isShared());
		spoolState.put("replayer", this.replayer.isReplayer());
		spoolState.put("replayed", this.replayer.replayedCount());
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("rollout", rolloutState);
		state.put("spool", spoolState);
		state.put("settings", hot);
		return state;
	}

}
