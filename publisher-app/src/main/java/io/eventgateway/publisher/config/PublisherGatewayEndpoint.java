package io.eventgateway.publisher.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.publisher.route.RolloutRouter;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gateway}: the publisher's live state for an operator: the rollout
 * percentage and target in force, how many events went to each cluster, and the last
 * rejected refresh.
 */
@Endpoint(id = "gateway")
public class PublisherGatewayEndpoint {

	private final HotSettings<RolloutSettings> rollout;

	private final RolloutRouter router;

	PublisherGatewayEndpoint(HotSettings<RolloutSettings> rollout, RolloutRouter router) {
		this.rollout = rollout;
		this.router = router;
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
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("rollout", rolloutState);
		state.put("settings", hot);
		return state;
	}

}
