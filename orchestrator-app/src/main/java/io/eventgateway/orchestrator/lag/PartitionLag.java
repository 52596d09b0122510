package io.eventgateway.orchestrator.lag;

/**
 * What the probe learned of one partition in one round.
 *
 * @param endOffset the offset the next record written will get
 * @param position where the group resumes: its committed offset, or the log start offset
 * when a subscribed group has committed nothing yet; {@code null} when unknown (a
 * manually assigned group without a commit)
 * @param oldestTimestamp the timestamp (epoch millis) of the record at {@code position},
 * the oldest one not yet finished (or, until it is read, the last one known further
 * back); {@code null} when unknown
 * @param oldestExact whether {@code oldestTimestamp} is the one of the record at
 * {@code position}, read; false while it stands in for a record not read yet, which a
 * later round reads again
 */
public record PartitionLag(long endOffset, Long position, Long oldestTimestamp, boolean oldestExact) {

	/**
	 * Where a group resumes in a partition.
	 * @param committed its committed offset, or {@code null} when it has none
	 * @param logStartOffset the partition's first offset still held, or {@code null} when
	 * not known
	 * @param resumesAtLogStart whether the group, without a commit, resumes at the log
	 * start (a subscribed group); a manually assigned group's missing commit may only
	 * have expired (offsets.retention.minutes), so its position is unknown
	 * @return the position, {@code null} when unknown
	 */
	public static Long position(Long committed, Long logStartOffset, boolean resumesAtLogStart) {
		if (committed != null) {
			return committed;
		}
		return resumesAtLogStart ? logStartOffset : null;
	}

	/**
	 * Records written but not yet finished by the group; never negative, NaN when the
	 * position is unknown.
	 */
	public double lag() {
		if (this.position == null) {
			return Double.NaN;
		}
		return Math.max(0, this.endOffset - this.position);
	}

	/** Whether something is unfinished, as far as known. */
	boolean lagging() {
		return this.position != null && this.endOffset > this.position;
	}

	/**
	 * Seconds since the oldest unfinished record was written: 0 when nothing is
	 * unfinished, NaN when the position is unknown or something is unfinished but its
	 * record could not be read (never a healthy-looking 0).
	 * @param nowMillis the time now, epoch millis
	 */
	public double oldestAgeSeconds(long nowMillis) {
		if (this.position == null) {
			return Double.NaN;
		}
		if (!lagging()) {
			return 0;
		}
		if (this.oldestTimestamp == null) {
			return Double.NaN;
		}
		return Math.max(0, nowMillis - this.oldestTimestamp) / 1000.0;
	}

	/** The same figures with the oldest record read at the position. */
	PartitionLag read(long timestamp) {
		return new PartitionLag(this.endOffset, this.position, timestamp, true);
	}

}
