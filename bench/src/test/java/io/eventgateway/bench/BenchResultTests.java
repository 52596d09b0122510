package io.eventgateway.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchResultTests {

	@Test
	void aFigureWithABarOrALineBreakStaysInItsTableCell() {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("steps", "1000/s ok | 2000/s\nnot sustained");

		String markdown = new BenchResult("throughput", Map.of(), figures, 0).markdown();

		assertThat(markdown).contains("| steps | 1000/s ok \\| 2000/s not sustained |\n");
	}

}
