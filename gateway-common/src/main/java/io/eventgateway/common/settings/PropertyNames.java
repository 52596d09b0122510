package io.eventgateway.common.settings;

import java.util.Locale;

/**
 * Compares setting names the way relaxed binding does: case, dashes, underscores and a
 * trailing list index do not matter
 * ({@code gateway.publisher.rollout.bootstrapServers[0]} is
 * {@code gateway.publisher.rollout.bootstrap-servers}).
 */
final class PropertyNames {

	private PropertyNames() {
	}

	static boolean same(String first, String second) {
		return canonical(first).equals(canonical(second));
	}

	private static String canonical(String name) {
		String withoutIndex = name.replaceAll("\\[\\d+\\]$", "");
		return withoutIndex.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

}
