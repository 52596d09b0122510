package io.eventgateway.ingest.api.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.eventgateway.ingest.event.BatchLimits;

/**
 * What ingest spends reading the JSON body of {@code POST /v1/events} into candidates, as
 * the controller reads it: from a stream, through the body size limit. Divide the score
 * by {@link #events} for the cost per event. In the same package as the reader, which is
 * not public.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class JsonBatchReaderBenchmark {

	/** The default {@code gateway.ingest.limits.max-request-bytes}. */
	private static final long MAX_REQUEST_BYTES = 5L * 1024 * 1024;

	/** Events in one request body. */
	@Param({ "1", "50", "1000" })
	public int events;

	private final JsonBatchReader reader = new JsonBatchReader(new BatchLimits(1000));

	private byte[] body;

	@Setup
	public void buildBody() {
		StringBuilder json = new StringBuilder("{\"request_id\":\"req-42\",\"events\":[");
		for (int i = 0; i < this.events; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append("{\"event_id\":\"evt-")
				.append(i)
				.append("\",\"company_id\":\"acme\",\"event_type\":\"invoice.paid\",\"source\":\"billing\",")
				.append("\"payload\":{\"invoice\":\"INV-2026-")
				.append(i)
				.append("\",\"amount\":1234.5,\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2},")
				.append("{\"sku\":\"B-7\",\"qty\":1}],\"customer\":{\"id\":\"c-981\",\"tier\":\"gold\"}}}");
		}
		this.body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public JsonBatchReader.DecodedBatch read() {
		return this.reader.read(new ByteArrayInputStream(this.body), MAX_REQUEST_BYTES);
	}

}
