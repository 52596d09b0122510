package io.eventgateway.common.event;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Conversions between {@code java.time} values and the protobuf well-known types. */
public final class ProtoTime {

	/** 0001-01-01T00:00:00Z, the earliest valid {@code google.protobuf.Timestamp}. */
	private static final long MIN_SECONDS = -62_135_596_800L;

	/** 9999-12-31T23:59:59Z, the latest valid {@code google.protobuf.Timestamp}. */
	private static final long MAX_SECONDS = 253_402_300_799L;

	private ProtoTime() {
	}

	/**
	 * Whether a timestamp is within the range {@code google.protobuf.Timestamp} defines,
	 * which {@link #instant} can always convert. Input from outside is checked with it.
	 */
	public static boolean isValid(Timestamp timestamp) {
		return timestamp.getSeconds() >= MIN_SECONDS && timestamp.getSeconds() <= MAX_SECONDS
				&& timestamp.getNanos() >= 0 && timestamp.getNanos() <= 999_999_999;
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
