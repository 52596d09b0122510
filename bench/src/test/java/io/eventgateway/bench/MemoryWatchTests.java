package io.eventgateway.bench;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryWatchTests {

	private static final String STATE = """
			{"priorities": {"P30": {"heldBytes": 100}, "P20": {"heldBytes": 20}, "P10": {"heldBytes": 3}},
			 "sources": {"p30": {"pausedForMemory": true, "waitingBytes": 1000},
			             "p20": {"pausedForMemory": false, "waitingBytes": 0},
			             "p10": {"pausedForMemory": false}, "offload": {"pausedForMemory": true, "waitingBytes": 5000},
			             "retry": {"pausedForMemory": false, "waitingBytes": 40000}}}
			""";

	@Test
	void chargesEachSourceWhatItsGateJudgesHeldAndReadAheadBytes() {
		MemorySample sample = MemoryWatch.read(JsonMapper.builder().build().readTree(STATE), 64, 1200);

		// A priority source: its priority's held bytes and its own waiting bytes; offload
		// and retry: every priority's held bytes and every source's waiting bytes.
		assertThat(sample.chargedBytes()).containsExactlyInAnyOrderEntriesOf(
				Map.of("p30", 1100L, "p20", 20L, "p10", 3L, "offload", 46123L, "retry", 46123L));
		assertThat(sample.pausedForMemory()).containsExactlyInAnyOrder("p30", "offload");
		assertThat(sample.heapUsedBytes()).isEqualTo(64);
		assertThat(sample.atMillis()).isEqualTo(1200);
	}

	@Test
	void highestOfTwoSamplesKeepsEachPeakAndEveryPausedSource() {
		MemorySample a = new MemorySample(1200, 50, Map.of("p30", 10L, "p20", 7L), Set.of("p30"));
		MemorySample b = new MemorySample(1400, 80, Map.of("p30", 4L, "p20", 9L), Set.of("p20"));

		MemorySample highest = MemoryWatch.highest(a, b);

		assertThat(highest.atMillis()).isEqualTo(1200);
		assertThat(highest.heapUsedBytes()).isEqualTo(80);
		assertThat(highest.chargedBytes()).containsExactlyInAnyOrderEntriesOf(Map.of("p30", 10L, "p20", 9L));
		assertThat(highest.pausedForMemory()).containsExactlyInAnyOrder("p30", "p20");
	}

}
