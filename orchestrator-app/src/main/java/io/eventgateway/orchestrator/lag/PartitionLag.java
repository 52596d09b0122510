package io.eventgateway.orchestrator.lag;

/**
 * What the probe learned of one partition in one round.
 *
 * @param endOffset the offset the next record written will get
 * @param position where the group resumes: its committed offset, or the log start offset
 * when it has committed nothing yet
 * @param oldestTimestamp the timestamp (epoch millis) of the record at {@code position},
 * the oldest one not yet finished (or, until it is read, the last one known further
 * back); {@code null} when unknown
 */
public record PartitionLag(long endOffset, long position, Long oldestTimestamp) {

	/**
	 * Where a group resumes in a partition.
	 * @param committed its committed offset, or {@code null} when it has none
	 * @param logStartOffset the partition's first offset still held
	 */
	public static long position(Long committed, long logStartOffset) {
		return (committed != null) ? committed : logStartOffset;
	}

	/** Records written but not yet finished by the group; never negative. */
	public long lag() {
		return Math.max(0, this.endOffset - this.position);
	}

	/**
	 * Seconds since the oldest unfinished record was written: 0 when nothing is
	 * unfinished, NaN when something is but its record could not be read (never a
	 * healthy-looking 0).
	 * @param nowMillis the time now, epoch millis
	 */
	public double oldestAgeSeconds(long nowMillis) {
		if (lag() == 0) {
			return 0;
		}
		if (this.oldestTimestamp == null) {
			return Double.NaN;
		}
		return Math.max(0, nowMillis - this.oldestTimestamp) / 1000.0;
	}

}
