package io.eventgateway.orchestrator.buffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer benchmark's fixture does what its figures claim: a steady backlog, batches
 * moved whole. Measures nothing.
 */
class TaskBufferBenchmarkTests {

	@Test
	void takesAndAddsKeepTheBacklogSteady() throws InterruptedException {
		TaskBufferBenchmark benchmark = new TaskBufferBenchmark();
		benchmark.backlog = 200;
		benchmark.batch = 50;
		TaskBufferBenchmark.Adder adder = new TaskBufferBenchmark.Adder();
		adder.build(benchmark);
		TaskBufferBenchmark.Moved moved = new TaskBufferBenchmark.Moved();
		benchmark.fill();

		assertThat(benchmark.size()).isEqualTo(200);
		benchmark.add(adder, moved);
		assertThat(moved.tasksAdded).as("no room until a take").isZero();

		assertThat(benchmark.take(moved)).hasSize(50);
		benchmark.add(adder, moved);

		assertThat(moved.tasksTaken).isEqualTo(50);
		assertThat(moved.tasksAdded).isEqualTo(50);
		assertThat(benchmark.size()).isEqualTo(200);
		benchmark.close();
	}

}
