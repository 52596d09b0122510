package io.eventgateway.orchestrator.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.orchestrator.config.OrchestratorProperties.Fetch;
import io.eventgateway.orchestrator.config.OrchestratorProperties.FetchWait;
import io.eventgateway.orchestrator.config.OrchestratorProperties.Kafka;
import io.eventgateway.orchestrator.config.OrchestratorProperties.MaxRecords;
import io.eventgateway.orchestrator.config.OrchestratorProperties.MemoryThresholds;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OrchestratorPropertiesTests {

	private static final FetchWait NO_FETCH_WAIT = new FetchWait(Duration.ZERO, Duration.ZERO, Duration.ZERO,
			Duration.ZERO, Duration.ZERO);

	@Test
	void defaultThresholdsAreOneValidBudget() {
		assertThat(new MemoryThresholds(30, 20, 15, 10, 40).priorities()).isEqualTo(65);
	}

	@Test
	void priorityThresholdsThatAddUpPastNinetyPercentAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryThresholds(40, 30, 25, 10, 40))
			.withMessage("gateway.orchestrator.memory-threshold-percent.p30 + p20 + p10 must not exceed 90 (percent "
					+ "of the heap, together), was 40.0 + 30.0 + 25.0 = 95.0");
	}

	@Test
	void aThresholdOutOfRangeIsLeftToItsConstraintSoTheMessageNamesIt() {
		assertThat(new MemoryThresholds(30, 20, 150, 10, 40).p10()).isEqualTo(150);
	}

	@Test
	void retryThresholdAbovePrioritiesSumIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryThresholds(30, 20, 15, 10, 70))
			.withMessageStartingWith("gateway.orchestrator.memory-threshold-percent.retry (70.0) must not exceed "
					+ "p30 + p20 + p10 (65.0)");
	}

	@Test
	void offloadThresholdAbovePrioritiesSumIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryThresholds(10, 10, 10, 31, 30))
			.withMessageStartingWith("gateway.orchestrator.memory-threshold-percent.offload (31.0)");
	}

	@Test
	void aHysteresisAtOrAboveAThresholdIsRefusedNamingBothSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryThresholds(30, 20, 15, 5, 40).requireAbove(5))
			.withMessage("gateway.orchestrator.memory-hysteresis-percent (5.0) must be below "
					+ "gateway.orchestrator.memory-threshold-percent.offload (5.0): a paused source resumes below its "
					+ "threshold minus the hysteresis, so it would never resume");
	}

	@Test
	void aHysteresisBelowEveryThresholdIsAccepted() {
		MemoryThresholds thresholds = new MemoryThresholds(30, 20, 15, 10, 40);

		thresholds.requireAbove(9.99);
		thresholds.requireAbove(0);
		assertThat(thresholds.offload()).isEqualTo(10);
	}

	@Test
	void aThresholdOrHysteresisOutOfRangeIsLeftToItsConstraint() {
		new MemoryThresholds(30, 20, 15, -1, 40).requireAbove(5);
		new MemoryThresholds(30, 20, 15, 10, 40).requireAbove(150);
		assertThat(new MemoryThresholds(30, 20, 15, -1, 40).offload()).isEqualTo(-1);
	}

	@Test
	void boundSettingsWhoseHysteresisReachesAThresholdAreRefused() {
		Map<String, String> settings = Map.of("gateway.orchestrator.memory-threshold-percent.p10", "4",
				"gateway.orchestrator.memory-hysteresis-percent", "5");

		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> new Binder(new MapConfigurationPropertySource(settings))
				.bindOrCreate("gateway.orchestrator", OrchestratorProperties.class))
			.havingRootCause()
			.withMessageStartingWith("gateway.orchestrator.memory-hysteresis-percent (5.0) must be below "
					+ "gateway.orchestrator.memory-threshold-percent.p10 (4.0)");
	}

	@Test
	void partitionFetchLargerThanTheWholeFetchIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> kafka(DataSize.ofMegabytes(1), DataSize.ofMegabytes(2)))
			.withMessageContaining(
					"gateway.orchestrator.kafka.max-partition-fetch-bytes must be between 1B and " + "1048576B");
	}

	@Test
	void fetchSizeBeyondTheKafkaClientsIntRangeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> kafka(DataSize.ofGigabytes(4), DataSize.ofMegabytes(1)))
			.withMessageContaining("gateway.orchestrator.kafka.fetch-max-bytes");
	}

	@Test
	void fetchMaxBytesUpToFifteenMegabytesIsAccepted() {
		assertThat(new Fetch(10, DataSize.ofMegabytes(15), Duration.ofSeconds(1)).maxBytes())
			.isEqualTo(DataSize.ofMegabytes(15));
	}

	@Test
	void fetchMaxBytesAboveFifteenMegabytesIsRefusedNamingTheWorkersLimit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Fetch(10, DataSize.ofMegabytes(16), Duration.ofSeconds(1)))
			.withMessageContaining("gateway.orchestrator.fetch.max-bytes must be between 1B and 15MB")
			.withMessageContaining("workers' 16MB inbound gRPC message limit");
	}

	@Test
	void aCommitIntervalOutsideZeroToAMinuteIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> kafka(Duration.ofMillis(-1)))
			.withMessageContaining("gateway.orchestrator.kafka.commit-interval");
		assertThatIllegalArgumentException().isThrownBy(() -> kafka(Duration.ofMinutes(2)))
			.withMessageContaining("gateway.orchestrator.kafka.commit-interval");
		assertThat(kafka(Duration.ZERO).commitInterval()).isZero();
	}

	@Test
	void aFetchWaitOutsideZeroToFiveSecondsIsRefusedNamingTheSource() {
		Duration none = Duration.ZERO;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FetchWait(none, Duration.ofMillis(-1), none, none, none))
			.withMessageContaining("gateway.orchestrator.kafka.fetch-wait.p20 must be between 0 and 5s, was -1ms");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FetchWait(none, none, none, none, Duration.ofSeconds(6)))
			.withMessageContaining("gateway.orchestrator.kafka.fetch-wait.retry");
		FetchWait waits = new FetchWait(none, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5),
				Duration.ofMillis(1));
		assertThat(List.of("p30", "p20", "p10", "offload", "retry")).map(waits::of)
			.containsExactly(none, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5),
					Duration.ofMillis(1));
		assertThatIllegalArgumentException().isThrownBy(() -> waits.of("p40")).withMessageContaining("p40");
	}

	@Test
	void fetchMinBytesAboveWhatOnePartitionMayBringIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Kafka(new MaxRecords(500, 500, 500, 500, 500), 2000, Duration.ofMillis(100),
					Duration.ofSeconds(1), DataSize.ofMegabytes(8), DataSize.ofMegabytes(1), NO_FETCH_WAIT,
					DataSize.ofMegabytes(2)))
			.withMessageContaining("gateway.orchestrator.kafka.fetch-min-bytes");
	}

	private static Kafka kafka(DataSize fetchMaxBytes, DataSize maxPartitionFetchBytes) {
		return new Kafka(new MaxRecords(500, 500, 500, 500, 500), 2000, Duration.ofMillis(100), Duration.ofSeconds(1),
				fetchMaxBytes, maxPartitionFetchBytes, NO_FETCH_WAIT, DataSize.ofKilobytes(64));
	}

	private static Kafka kafka(Duration commitInterval) {
		return new Kafka(new MaxRecords(500, 500, 500, 500, 500), 2000, Duration.ofMillis(100), commitInterval,
				DataSize.ofMegabytes(8), DataSize.ofMegabytes(1), NO_FETCH_WAIT, DataSize.ofKilobytes(64));
	}

	@Test
	void aFleetIsActiveWhenListedOrWhenNoFleetIsListed() {
		assertThat(fleet("primary", List.of()).isFleetActive()).isTrue();
		assertThat(fleet("primary", List.of("rollout", "primary")).isFleetActive()).isTrue();
		assertThat(fleet("primary", List.of("rollout")).isFleetActive()).isFalse();
	}

	@Test
	void aFenceAfterOfZeroIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> withFenceAfter(Duration.ZERO))
			.withMessage("gateway.orchestrator.fence-after must be positive, was PT0S");
	}

	private static OrchestratorProperties fleet(String fleet, List<String> activeFleets) {
		return properties(fleet, activeFleets, Duration.ofSeconds(30));
	}

	private static OrchestratorProperties withFenceAfter(Duration fenceAfter) {
		return properties("primary", List.of(), fenceAfter);
	}

	private static OrchestratorProperties properties(String fleet, List<String> activeFleets, Duration fenceAfter) {
		return new OrchestratorProperties(0, 1, "group", null, null, null, null, 5, null, true, false, null, null,
				fleet, activeFleets, fenceAfter);
	}

}
