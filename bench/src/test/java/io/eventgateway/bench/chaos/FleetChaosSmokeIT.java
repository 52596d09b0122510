package io.eventgateway.bench.chaos;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.bench.BenchResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short version of the fleet's chaos: a 3-node KRaft cluster with topics replicated
 * three times (two in sync), 3 orchestrator replicas, 3 workers, one publisher and one
 * ingest instance (the fault hits the orchestrators, so a second front door would only
 * slow CI down), each its own process; one orchestrator replica killed under load; the
 * ledgers of every worker must show nothing lost, duplicates bounded and P30 back within
 * its SLO. The full fleet tour is {@code chaos-all --fleet} (bench/README.md).
 */
class FleetChaosSmokeIT {

	@Test
	void killingAnOrchestratorReplicaLosesNothing() throws Exception {
		ByteArrayOutputStream progress = new ByteArrayOutputStream();

		List<BenchResult> results = ChaosRun.tour(List.of("kill-orchestrator-replica"), Duration.ofSeconds(20), 60,
				ClusterShape.FLEET_ONE_FRONT_DOOR, false, new PrintStream(progress, true, StandardCharsets.UTF_8));

		BenchResult result = results.get(0);
		String report = result.markdown() + "\n" + progress.toString(StandardCharsets.UTF_8);
		System.out.println(result.markdown());
		assertThat(result.scenario()).isEqualTo("kill-orchestrator-replica");
		assertThat(result.settings().get("cluster")).asString().startsWith("3 brokers");
		assertThat((long) result.figures().get("events accepted")).as(report).isPositive();
		assertThat(result.lost()).as(report).isZero();
		assertThat(result.failures()).as(report).isEmpty();
	}

}
