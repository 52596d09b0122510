package io.eventgateway.publisher.failure;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.eventgateway.publisher.failure.FailedWritesProcessor.Stage;
import io.eventgateway.publisher.failure.UnusableRecordException.Reason;

/**
 * The failed-writes processor's meters, {@code gateway.publisher.failed-writes.*}: events
 * republished, spooled and parked (by reason), and failures by stage. Every series is
 * registered at bind time so that alerts see the first increment.
 */
public class FailedWritesMeters implements MeterBinder {

	private static final String PREFIX = "gateway.publisher.failed-writes.";

	private final FailedWritesProcessor processor;

	public FailedWritesMeters(FailedWritesProcessor processor) {
		this.processor = processor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(PREFIX + "republished", this.processor, FailedWritesProcessor::republishedCount)
			.description("Failed writes moved back to their intended topic on the primary cluster")
			.register(registry);
		FunctionCounter.builder(PREFIX + "spooled", this.processor, FailedWritesProcessor::spooledCount)
			.description("Failed writes the primary kept refusing, moved to the spool")
			.register(registry);
		for (Reason reason : Reason.values()) {
			FunctionCounter.builder(PREFIX + "parked", this.processor, (p) -> p.parkedCount(reason))
				.description("Unusable failed-writes records moved to the parking topic")
				.tag("reason", tag(reason))
				.register(registry);
		}
		for (Stage stage : Stage.values()) {
			FunctionCounter.builder(PREFIX + "failures", this.processor, (p) -> p.failureCount(stage))
				.description("Failed writes to the primary, the spool or the parking topic (each is retried)")
				.tag("stage", tag(stage))
				.register(registry);
		}
	}

	private static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
