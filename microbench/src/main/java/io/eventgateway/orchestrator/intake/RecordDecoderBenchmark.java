package io.eventgateway.orchestrator.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
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

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.task.ReadRecord;
import io.eventgateway.proto.v1.Event;

/**
 * What the orchestrator's intake spends turning one source record into a task, for a
 * record the publisher wrote (with the ordering headers) and for one without them (an
 * older version's or a replay's, decoded from its payload). In the same package as the
 * decoder, which is not public.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class RecordDecoderBenchmark {

	/** Whether the record carries the four ordering headers. */
	@Param({ "true", "false" })
	public boolean orderingHeaders;

	/** Size of the event's JSON payload. */
	@Param("512")
	public int payloadBytes;

	private ConsumerRecord<String, byte[]> record;

	@Setup
	public void buildRecord() {
		Instant ingestedAt = Instant.parse("2026-01-31T12:00:00.123456789Z");
		Event event = Event.newBuilder()
			.setEventId("0f8fad5b-d9cb-469f-a165-70867728950e")
			.setCompanyId("acme")
			.setSourceName("billing")
			.setEventType("invoice.paid")
			.setIngestedAt(timestamp(ingestedAt))
			.setSloDeadline(timestamp(Priority.P30.deadlineFor(ingestedAt)))
			.setPriorityLevel(Priority.P30.toProto())
			.setRawPayload(ByteString.copyFrom(payload(this.payloadBytes)))
			.setRequestId("req-42")
			.setTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			.build();
		RecordHeaders headers = new RecordHeaders();
		if (this.orderingHeaders) {
			GatewayHeaders.putString(headers, GatewayHeaders.EVENT_ID, event.getEventId());
			GatewayHeaders.putLong(headers, GatewayHeaders.PRIORITY, Priority.P30.level());
			GatewayHeaders.putEpochNanos(headers, GatewayHeaders.SLO_DEADLINE, Priority.P30.deadlineFor(ingestedAt));
			GatewayHeaders.putEpochNanos(headers, GatewayHeaders.INGESTED_AT, ingestedAt);
		}
		byte[] value = event.toByteArray();
		this.record = new ConsumerRecord<>("events.p30", 3, 1_000_000L, ingestedAt.toEpochMilli(),
				TimestampType.CREATE_TIME, event.getCompanyId().length(), value.length, event.getCompanyId(), value,
				headers, Optional.empty());
	}

	@Benchmark
	public ReadRecord decode() {
		return RecordDecoder.decode(this.record);
	}

	/** The record being decoded; for checking the fixture. */
	ConsumerRecord<String, byte[]> record() {
		return this.record;
	}

	private static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

	/** A JSON object of about the given size. */
	private static byte[] payload(int size) {
		String prefix = "{\"invoice\":\"INV-2026-000042\",\"amount\":1234.5,\"note\":\"";
		String suffix = "\"}";
		char[] note = new char[Math.max(0, size - prefix.length() - suffix.length())];
		Arrays.fill(note, 'x');
		return (prefix + new String(note) + suffix).getBytes(StandardCharsets.UTF_8);
	}

}
