package io.eventgateway.ingest.quota;

import java.time.Duration;

import io.github.bucket4j.TimeMeter;

/** A clock for buckets that moves only when told. */
final class FakeTime implements TimeMeter {

	private long nanos;

	@Override
	public long currentTimeNanos() {
		return this.nanos;
	}

	@Override
	public boolean isWallClockBased() {
		return false;
	}

	void advance(Duration duration) {
		this.nanos += duration.toNanos();
	}

}
