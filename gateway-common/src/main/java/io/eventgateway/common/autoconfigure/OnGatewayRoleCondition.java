package io.eventgateway.common.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches in a gateway role's application only ({@link GatewayRole}), so that what
 * governs a whole application stays out of a team's own.
 */
class OnGatewayRoleCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (GatewayRole.of(context.getEnvironment())) {
			return ConditionOutcome.match("a gateway role (" + GatewayRole.PROPERTY + " or its spring.config.name)");
		}
		return ConditionOutcome
			.noMatch("not a gateway role: neither " + GatewayRole.PROPERTY + " nor a role's spring.config.name is set");
	}

}
