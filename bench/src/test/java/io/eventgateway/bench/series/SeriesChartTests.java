package io.eventgateway.bench.series;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesChartTests {

	@Test
	void drawsEveryPanelWithItsLinesAndMarksThePhases() {
		Series series = new Series("throughput <run 1>", List.of(
				SeriesTests.sample(1, "step 1000/s", 1000, 990, 10, SeriesTests.histogram(4_000), 500_000_000,
						100_000_000, 50_000_000),
				SeriesTests.sample(2, "step 1000/s", 1000, 1000, 10, null, 500_000_000, 100_000_000, 50_000_000),
				SeriesTests.sample(3, "drain", 0, 10, 0, SeriesTests.histogram(9_000), 100_000_000, 0, 0)),
				List.of(new MeteredProcess("gateway JVM", ProcessRole.GATEWAY, () -> 0),
						new MeteredProcess("broker", ProcessRole.BROKER, () -> 0)),
				0);

		String svg = SeriesChart.svg(series);

		assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
		assertThat(svg).contains("events/s", "backlog (events)", "P30 latency ms", "CPU cores", ">offered<",
				">processed<", ">p99<", ">gateway JVM<", ">broker<", ">step 1000/s<", ">drain<",
				"throughput &lt;run 1&gt;");
		// A second without a P30 sample breaks the latency lines instead of drawing zero.
		assertThat(svg).containsPattern("<path d=\"M[^L\"]*\" fill=\"none\" stroke=\"#1f77b4\"");
	}

	@Test
	void axesEndAtRoundNumbers() {
		assertThat(SeriesChart.niceCeiling(0)).isEqualTo(1);
		assertThat(SeriesChart.niceCeiling(7)).isEqualTo(10);
		assertThat(SeriesChart.niceCeiling(1200)).isEqualTo(2000);
		assertThat(SeriesChart.niceCeiling(0.3)).isEqualTo(0.5);
	}

}
