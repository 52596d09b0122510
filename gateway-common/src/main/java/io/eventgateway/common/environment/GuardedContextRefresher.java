package io.eventgateway.common.environment;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration.RefreshProperties;
import org.springframework.cloud.context.refresh.ConfigDataContextRefresher;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The context refresher of every role, which {@code /actuator/refresh} and
 * {@code busrefresh} both go through. The {@link EnvironmentGuard} runs again on every
 * refreshed environment and refuses it whole when it breaks the environment's rules
 * (nothing changes); this refresher makes such a refusal what an operator expects of a
 * refused setting: one WARN line naming the keys, a count, and the last refusal on show,
 * instead of an unexplained error deep in the refresh.
 */
public class GuardedContextRefresher extends ConfigDataContextRefresher {

	private static final Log logger = LogFactory.getLog(GuardedContextRefresher.class);

	private final AtomicLong refusals = new AtomicLong();

	private volatile String lastRefusal;

	private EnvironmentRulesViolation lastCounted;

	public GuardedContextRefresher(ConfigurableApplicationContext context, RefreshScope scope,
			RefreshProperties properties) {
		super(context, scope, properties);
	}

	@Override
	public synchronized Set<String> refresh() {
		return guarded(super::refresh);
	}

	@Override
	public synchronized Set<String> refreshEnvironment() {
		return guarded(super::refreshEnvironment);
	}

	/** Refreshes refused because the new settings broke the environment's rules. */
	public long refusals() {
		return this.refusals.get();
	}

	/** Why the last refresh was refused; null when none was. */
	public String lastRefusal() {
		return this.lastRefusal;
	}

	private Set<String> guarded(RefreshStep step) {
		try {
			return step.run();
		}
		catch (RuntimeException ex) {
			EnvironmentRulesViolation violation = EnvironmentRulesViolation.findIn(ex);
			if (violation == null) {
				throw ex;
			}
			// refresh() runs refreshEnvironment(): one refusal is counted once.
			if (violation != this.lastCounted) {
				this.lastCounted = violation;
				this.refusals.incrementAndGet();
				this.lastRefusal = violation.getMessage();
				logger.warn("Refresh refused, every setting stays as it was: " + violation.getMessage());
			}
			throw violation;
		}
	}

	@FunctionalInterface
	private interface RefreshStep {

		Set<String> run();

	}

}
