package io.eventgateway.common.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The credentials of the management endpoints (actuator) that change state or show
 * settings. Health (without details), the probes, {@code prometheus} and {@code info}
 * answer without them; everything else needs HTTP Basic with these, and answers 401 to
 * everyone while they are unset. A prod instance refuses to start without them.
 *
 * @param username the user name ({@code GATEWAY_MANAGEMENT_USERNAME}); blank means unset
 * @param password the password ({@code GATEWAY_MANAGEMENT_PASSWORD}); blank means unset;
 * never shown by {@link #toString()}
 */
@Validated
@ConfigurationProperties("gateway.management")
public record GatewayManagementProperties(@Nullable String username, @Nullable String password) {

	public GatewayManagementProperties {
		boolean hasUsername = username != null && !username.isBlank();
		boolean hasPassword = password != null && !password.isBlank();
		if (hasUsername != hasPassword) {
			// One without the other is a half-done setup: refuse it rather than lock
			// everyone out with no hint why.
			throw new IllegalArgumentException("gateway.management.username and gateway.management.password must be"
					+ " set together; only "
					+ (hasUsername ? "gateway.management.username" : "gateway.management.password") + " is set");
		}
	}

	@Override
	public String toString() {
		return "GatewayManagementProperties[username=" + this.username + ", password="
				+ ((this.password == null || this.password.isBlank()) ? "" : "******") + "]";
	}

}
