package io.eventgateway.common.autoconfigure;

import io.eventgateway.common.environment.GuardedContextRefresher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration.RefreshProperties;
import org.springframework.cloud.context.refresh.ConfigDataContextRefresher;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Puts the {@link GuardedContextRefresher} in place of Spring Cloud's own, so that a
 * refresh refused by the environment rules is logged and counted
 * ({@code gateway.settings.refresh.refused{reason=environment}}). Roles only
 * ({@link GatewayRole}): a team's application keeps Spring Cloud's refresher.
 */
@AutoConfiguration(before = RefreshAutoConfiguration.class)
@ConditionalOnClass(ConfigDataContextRefresher.class)
@ConditionalOnProperty(name = RefreshAutoConfiguration.REFRESH_SCOPE_ENABLED, matchIfMissing = true)
@Conditional(OnGatewayRoleCondition.class)
public class RefreshGuardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ConfigDataContextRefresher.class)
	GuardedContextRefresher configDataContextRefresher(ConfigurableApplicationContext context, RefreshScope scope,
			RefreshProperties properties, ObjectProvider<MeterRegistry> registry) {
		GuardedContextRefresher refresher = new GuardedContextRefresher(context, scope, properties);
		registry.ifAvailable((meters) -> FunctionCounter
			.builder("gateway.settings.refresh.refused", refresher, GuardedContextRefresher::refusals)
			.description("Refreshes refused whole because the new settings broke the environment's rules")
			.tag("reason", "environment")
			.register(meters));
		return refresher;
	}

}
