package io.eventgateway.client;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the bytes of events sent and not yet answered for good: a sender waits, for a
 * bounded time, until earlier events free room. An event larger than the whole bound is
 * let in when nothing else is in flight, so it cannot wait forever.
 *
 * <p>
 * Thread-safe.
 */
final class InFlightBytes {

	/** What {@link #acquire} returns when no room came in time. */
	static final long TIMED_OUT = -1;

	/** What {@link #acquire} returns once {@link #close()} was called. */
	static final long CLOSED = -2;

	private final long limit;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private long used;

	private boolean closed;

	InFlightBytes(long limit) {
		this.limit = limit;
	}

	/**
	 * Takes room for {@code bytes}, waiting at most {@code timeoutNanos}; returns the
	 * bytes taken (to give back with {@link #release}), {@link #TIMED_OUT} when no room
	 * came in time, or {@link #CLOSED} once {@link #close()} was called (waiting or not).
	 */
	long acquire(long bytes, long timeoutNanos) throws InterruptedException {
		long taken = Math.min(bytes, this.limit);
		long remaining = timeoutNanos;
		this.lock.lockInterruptibly();
		try {
			while (!this.closed && this.used + taken > this.limit) {
				if (remaining <= 0) {
					return TIMED_OUT;
				}
				remaining = this.released.awaitNanos(remaining);
			}
			if (this.closed) {
				return CLOSED;
			}
			this.used += taken;
			return taken;
		}
		finally {
			this.lock.unlock();
		}
	}

	void release(long taken) {
		this.lock.lock();
		try {
			this.used -= taken;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Refuses every later {@link #acquire} and wakes the senders waiting in one, so that
	 * none waits its whole time for a client that is closing.
	 */
	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	long used() {
		this.lock.lock();
		try {
			return this.used;
		}
		finally {
			this.lock.unlock();
		}
	}

}
