package io.eventgateway.ingest.api.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventgateway.ingest.event.Candidate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON reader benchmark reads bodies whose every event is valid, so it measures the
 * accepting path, not error reporting. Measures nothing.
 */
class JsonBatchReaderBenchmarkTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 50, 1000 })
	void everyEventOfTheBodyIsAValidCandidate(int events) {
		JsonBatchReaderBenchmark benchmark = new JsonBatchReaderBenchmark();
		benchmark.events = events;
		benchmark.buildBody();

		JsonBatchReader.DecodedBatch batch = benchmark.read();

		assertThat(batch.requestId()).isEqualTo("req-42");
		assertThat(batch.candidates()).hasSize(events).allMatch(Candidate::isValid);
	}

}
