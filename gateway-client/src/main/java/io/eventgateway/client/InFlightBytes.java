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

	private final long limit;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private long used;

	InFlightBytes(long limit) {
		this.limit = limit;
	}

	/**
	 * Takes room for {@code bytes}, waiting at most {@code timeoutNanos}; returns the
	 * bytes taken (to give back with {@link #release}), or {@code -1} when no room came
	 * in time.
	 */
	long acquire(long bytes, long timeoutNanos) throws InterruptedException {
		long taken = Math.min(bytes, this.limit);
		long remaining = timeoutNanos;
		this.lock.lockInterruptibly();
		try {
			while (this.used + taken > this.limit) {
				if (remaining <= 0) {
					return -1;
				}
				remaining = this.released.awaitNanos(remaining);
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
