package io.eventgateway.configserver.security;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic on everything the config server answers (settings, {@code /encrypt},
 * {@code /decrypt}, actuator) except health and its probes, which the kubelet calls
 * without credentials.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ConfigServerSecurityProperties.class)
public class ConfigServerSecurityConfiguration {

	/**
	 * First of any chain: in the standalone JVM other libraries' chains may sit in this
	 * context too, and none of them may answer for the config server.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain configServerSecurityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/liveness",
					"/actuator/health/readiness")
			.permitAll()
			// The error page of a refused request, so that a 401 stays a 401.
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.anyRequest()
			.authenticated())
			.httpBasic(Customizer.withDefaults())
			// Machine clients with Basic credentials on each request: no browser session
			// to protect from cross-site requests, and none kept.
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	PasswordEncoder configClientPasswordEncoder() {
		return new DigestPasswordEncoder();
	}

	@Bean
	InMemoryUserDetailsManager configClientAccounts(ConfigServerSecurityProperties properties,
			PasswordEncoder configClientPasswordEncoder, Environment environment) {
		return ClientCredentials.accounts(properties, environment.getProperty("gateway.environment", "dev"),
				configClientPasswordEncoder);
	}

}
