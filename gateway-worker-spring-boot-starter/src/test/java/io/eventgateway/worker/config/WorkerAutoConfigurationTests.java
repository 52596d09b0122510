package io.eventgateway.worker.config;

import org.junit.jupiter.api.Test;

import io.eventgateway.worker.fleet.OrchestratorFleet;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the worker auto-configuration applies; what it builds with a processor is shown by
 * {@code WorkerStarterIT}, against an orchestrator and a broker.
 */
class WorkerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WorkerAutoConfiguration.class));

	@Test
	void anApplicationWithoutAnEventProcessorIsNotMadeAWorker() {
		// The standalone mode puts the starter on the classpath of every role.
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(WorkerProperties.class)
			.doesNotHaveBean(WorkerStats.class)
			.doesNotHaveBean(OrchestratorFleet.class)
			.doesNotHaveBean("fetchLoops"));
	}

}
