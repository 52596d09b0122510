package io.eventgateway.common.autoconfigure;

import io.eventgateway.common.environment.EnvironmentRules;
import io.eventgateway.common.management.ManagementCredentials;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The management plane of every role locked: health (details only for the management
 * user), the probes, {@code prometheus} and {@code info} open to kubelet and the scraper;
 * every other management endpoint behind HTTP Basic with
 * {@code gateway.management.username/password}. The role's own paths (ingest's
 * {@code /v1} API, with its API keys) pass untouched by Spring Security's login, basic
 * authentication and CSRF checks.
 *
 * <p>
 * Roles only ({@link GatewayRole}): a team's application that brings a gateway library
 * keeps its own security, chains and users.
 */
@AutoConfiguration(after = GatewayCommonAutoConfiguration.class,
		before = { ManagementWebSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, EndpointRequest.class })
@Conditional(OnGatewayRoleCondition.class)
@EnableConfigurationProperties(GatewayManagementProperties.class)
public class ManagementSecurityAutoConfiguration {

	/** Realm named in the {@code WWW-Authenticate} challenge. */
	private static final String REALM = "event-gateway management";

	/**
	 * The management user, or nobody; refuses a prod instance without one.
	 */
	@Bean
	ManagementCredentials managementCredentials(GatewayManagementProperties properties, EnvironmentRules rules) {
		return ManagementCredentials.of(properties.username(), properties.password(), rules.stage());
	}

	/**
	 * Checks management requests' credentials; also keeps Spring Boot from creating its
	 * default user with a generated password.
	 */
	@Bean
	ManagementAuthenticationProvider managementAuthenticationProvider(ManagementCredentials credentials) {
		return new ManagementAuthenticationProvider(credentials);
	}

	/**
	 * Every management endpoint (on the management port when it has its own): the open
	 * ones for anyone, the rest with HTTP Basic. Stateless, so no CSRF token: a browser
	 * session never carries the credentials.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	SecurityFilterChain managementSecurityFilterChain(HttpSecurity http,
			ManagementAuthenticationProvider authentication) throws Exception {
		return http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers(EndpointRequest.to("health", "info", "prometheus"))
						.permitAll()
						.anyRequest()
						.authenticated())
			.authenticationProvider(authentication)
			.httpBasic((basic) -> basic.realmName(REALM))
			.csrf(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * Everything else, which is the role's own business (ingest checks API keys itself):
	 * no login, no basic authentication, no CSRF token, no session.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 10)
	SecurityFilterChain applicationSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
