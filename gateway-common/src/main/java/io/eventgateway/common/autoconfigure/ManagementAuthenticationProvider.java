package io.eventgateway.common.autoconfigure;

import java.util.List;

import io.eventgateway.common.management.ManagementCredentials;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Checks HTTP Basic credentials of a management request against the one configured user;
 * refuses everyone when none is configured. Thread-safe.
 */
final class ManagementAuthenticationProvider implements AuthenticationProvider {

	/** The one authority granted, to whoever holds the management credentials. */
	static final String AUTHORITY = "ROLE_GATEWAY_MANAGEMENT";

	private final ManagementCredentials credentials;

	ManagementAuthenticationProvider(ManagementCredentials credentials) {
		this.credentials = credentials;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String name = authentication.getName();
		Object password = authentication.getCredentials();
		if (name == null || password == null || !this.credentials.matches(name, password.toString())) {
			// The same answer whether the name, the password or the whole setup is wrong.
			throw new BadCredentialsException("Bad management credentials");
		}
		return UsernamePasswordAuthenticationToken.authenticated(name, null,
				List.of(new SimpleGrantedAuthority(AUTHORITY)));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
