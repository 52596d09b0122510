package io.eventgateway.orchestrator.dlq;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code gateway.orchestrator.dlq.redriven}: dead letters written back to their topic,
 * from 0 at start so that a rate over it exists before the first redrive.
 *
 * <p>
 * Thread-safe.
 */
public class RedriveMeter implements MeterBinder, IntConsumer {

	/** The counter's name. */
	public static final String NAME = "gateway.orchestrator.dlq.redriven";

	private final AtomicLong redriven = new AtomicLong();

	@Override
	public void accept(int letters) {
		this.redriven.addAndGet(letters);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(NAME, this.redriven, AtomicLong::get)
			.description("Dead letters redriven to their topic")
			.register(registry);
	}

}
