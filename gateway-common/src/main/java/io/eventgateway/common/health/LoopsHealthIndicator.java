package io.eventgateway.common.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code loops} in {@code /actuator/health} and in the liveness group: DOWN, naming the
 * loops, when any long-running loop of the role is dead or has made no progress within
 * its stall limit, so that Kubernetes restarts the pod instead of leaving it silently
 * idle. A loop that fails and backs off but still makes progress stays UP.
 */
public class LoopsHealthIndicator implements HealthIndicator {

	private final LoopMonitor monitor;

	public LoopsHealthIndicator(LoopMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		for (LoopHeartbeat loop : this.monitor.loops()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("state", loop.state().name());
			detail.put("sinceProgressMs", loop.sinceProgress().toMillis());
			detail.put("stallAfterMs", loop.stallAfter().toMillis());
			detail.put("failures", loop.failures());
			if (!loop.lastError().isEmpty()) {
				detail.put("lastError", loop.lastError());
			}
			details.put(loop.name(), detail);
		}
		List<String> unhealthy = this.monitor.unhealthy().stream().map(LoopHeartbeat::name).toList();
		Health.Builder builder = unhealthy.isEmpty() ? Health.up() : Health.down().withDetail("unhealthy", unhealthy);
		return builder.withDetails(details).build();
	}

}
