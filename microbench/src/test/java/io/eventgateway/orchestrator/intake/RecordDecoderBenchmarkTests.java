package io.eventgateway.orchestrator.intake;

import java.util.Arrays;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.task.ReadRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoding benchmark measures the path it names: a valid event decoded into a task,
 * with or without the ordering headers. Measures nothing.
 */
class RecordDecoderBenchmarkTests {

	@Test
	void aRecordWithTheOrderingHeadersDecodesIntoATask() {
		RecordDecoderBenchmark benchmark = benchmark(true);

		assertThat(headerNames(benchmark)).contains(GatewayHeaders.EVENT_ID, GatewayHeaders.PRIORITY,
				GatewayHeaders.SLO_DEADLINE, GatewayHeaders.INGESTED_AT);
		assertDecodedAsP30(benchmark.decode());
	}

	@Test
	void aRecordWithoutHeadersDecodesIntoATask() {
		RecordDecoderBenchmark benchmark = benchmark(false);

		assertThat(headerNames(benchmark)).isEmpty();
		assertDecodedAsP30(benchmark.decode());
	}

	private static RecordDecoderBenchmark benchmark(boolean orderingHeaders) {
		RecordDecoderBenchmark benchmark = new RecordDecoderBenchmark();
		benchmark.orderingHeaders = orderingHeaders;
		benchmark.payloadBytes = 512;
		benchmark.buildRecord();
		return benchmark;
	}

	private static String[] headerNames(RecordDecoderBenchmark benchmark) {
		return Arrays.stream(benchmark.record().headers().toArray()).map(Header::key).toArray(String[]::new);
	}

	private static void assertDecodedAsP30(ReadRecord read) {
		assertThat(read).isInstanceOf(ReadRecord.Decoded.class);
		assertThat(((ReadRecord.Decoded) read).task().priority()).isEqualTo(Priority.P30);
	}

}
