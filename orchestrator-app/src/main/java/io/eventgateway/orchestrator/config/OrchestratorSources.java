package io.eventgateway.orchestrator.config;

import java.util.List;
import java.util.function.IntSupplier;

import io.eventgateway.orchestrator.intake.SourceConsumer;
import io.eventgateway.orchestrator.intake.SourceState;

/**
 * The orchestrator's sources (p30, p20, p10, offload, retry): what each reads, how much
 * per poll, and its visible state.
 *
 * @param all every source, most urgent first
 */
public record OrchestratorSources(List<Source> all) {

	/** The source of that name. */
	public Source named(String name) {
		return this.all.stream()
			.filter((source) -> source.state().name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no source named " + name));
	}

	/**
	 * One source.
	 *
	 * @param state its gate and visible state
	 * @param subscription what it reads
	 * @param maxRecords the most records one poll hands on, as the settings say now
	 */
	public record Source(SourceState state, SourceConsumer.Subscription subscription, IntSupplier maxRecords) {
	}

}
