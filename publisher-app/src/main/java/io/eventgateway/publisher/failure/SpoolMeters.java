package io.eventgateway.publisher.failure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The spool's meters: {@code gateway.publisher.spool.abandoned-writes}, the unfinished
 * writes a directory spool found and deleted at start (a crash between write and rename).
 * Binds nothing for other spools.
 */
public class SpoolMeters implements MeterBinder {

	private final EventSpool spool;

	public SpoolMeters(EventSpool spool) {
		this.spool = spool;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.spool instanceof DirectorySpool directory) {
			FunctionCounter
				.builder("gateway.publisher.spool.abandoned-writes", directory, DirectorySpool::abandonedWriteCount)
				.description("Unfinished spool writes found and deleted at start; never acknowledged")
				.register(registry);
		}
	}

}
