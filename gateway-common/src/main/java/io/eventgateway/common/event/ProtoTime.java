package io.eventgateway.common.event;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Conversions between {@code java.time} values and the protobuf well-known types. */
public final class ProtoTime {

	private ProtoTime() {
	}

	/** The protobuf timestamp of an instant. */
	public static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

	/** The instant of a protobuf timestamp. */
	public static Instant instant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	/** The protobuf duration of a duration. */
	public static com.google.protobuf.Duration duration(Duration duration) {
		return com.google.protobuf.Duration.newBuilder()
			.setSeconds(duration.getSeconds())
			.setNanos(duration.getNano())
			.build();
	}

	/** The duration of a protobuf duration. */
	public static Duration duration(com.google.protobuf.Duration duration) {
		return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
	}

}
