package io.eventgateway.ingest.api.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read through a byte limit: the read that would go past it throws
 * {@link BodyTooLargeException} instead, so no more than the limit is ever taken from the
 * connection, whatever the body declares (or, chunked, does not). Counts what was read,
 * which tells an empty body apart. For one request thread; not thread-safe.
 */
class LimitedBodyStream extends FilterInputStream {

	private final long limit;

	private long count;

	LimitedBodyStream(InputStream body, long limit) {
		super(body);
		this.limit = limit;
	}

	/** The bytes read so far. */
	long count() {
		return this.count;
	}

	@Override
	public int read() throws IOException {
		int read = super.read();
		if (read >= 0 && ++this.count > this.limit) {
			throw new BodyTooLargeException(this.limit);
		}
		return read;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		// Ask for at most one byte past the limit: a body exactly at the limit is read
		// whole, one byte more is refused, and nothing further is taken.
		int wanted = (int) Math.min(length, this.limit - this.count + 1);
		int read = super.read(buffer, offset, wanted);
		if (read > 0) {
			this.count += read;
			if (this.count > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		// Skipped bytes were still sent: read them through the limit.
		byte[] buffer = new byte[(int) Math.min(n, 8192)];
		int read = read(buffer, 0, buffer.length);
		return Math.max(read, 0);
	}

	@Override
	public boolean markSupported() {
		return false;
	}

}
