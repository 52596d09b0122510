package io.eventgateway.common.settings;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The rejected-refresh meter of a group of hot settings: one counter per reason
 * ({@code reason=invalid} for values that do not bind or validate,
 * {@code reason=environment} for cluster addresses the environment rules refuse).
 */
public final class HotSettingsMeters {

	private HotSettingsMeters() {
	}

	/**
	 * Registers the counters.
	 * @param name the meter name, {@code gateway.<role>.settings.rejected}
	 */
	public static void registerRejections(MeterRegistry registry, String name, HotSettings<?> settings) {
		for (HotSettings.Rejection reason : HotSettings.Rejection.values()) {
			FunctionCounter.builder(name, settings, (hot) -> hot.rejectionCount(reason))
				.description("Refreshes of " + settings.prefix() + " settings rejected, by reason")
				.tag("reason", reason.tag())
				.register(registry);
		}
	}

}
