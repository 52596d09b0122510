package io.eventgateway.common.trace;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.MDC;

/**
 * Puts what a log line is about (event, record position, lease) into the logging context
 * (MDC) for the lines written until it closes, so that structured (JSON) logs carry them
 * as fields: {@value #EVENT_ID}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET},
 * {@value #LEASE_ID}. Used in try-with-resources around the lines a path writes about an
 * event; closing takes back exactly the keys it put, restoring the value an enclosing
 * context had put under the same key.
 *
 * <p>
 * Not thread-safe: one thread opens and closes it.
 */
public final class LogContext implements AutoCloseable {

	/** The event's id. */
	public static final String EVENT_ID = "event_id";

	/** The Kafka topic of the record in question. */
	public static final String TOPIC = "topic";

	/** Its partition. */
	public static final String PARTITION = "partition";

	/** Its offset. */
	public static final String OFFSET = "offset";

	/** The lease a worker holds the event under. */
	public static final String LEASE_ID = "lease_id";

	/** What this context put, in order, with the values they replaced. */
	private final List<Entry> entries = new ArrayList<>(5);

	private LogContext() {
	}

	/** A context about one event; {@code null} adds nothing. */
	public static LogContext event(String eventId) {
		return new LogContext().with(EVENT_ID, eventId);
	}

	/** A context about one lease; {@code null} adds nothing. */
	public static LogContext lease(String leaseId) {
		return new LogContext().with(LEASE_ID, leaseId);
	}

	/** A context about one record, not (yet) known as an event. */
	public static LogContext record(String topic, int partition, long offset) {
		return new LogContext().at(topic, partition, offset);
	}

	/** Adds where the record was read. */
	public LogContext at(String topic, int partition, long offset) {
		return with(TOPIC, topic).with(PARTITION, Integer.toString(partition)).with(OFFSET, Long.toString(offset));
	}

	/** Adds the topic only (a write whose partition is not known). */
	public LogContext topic(String topic) {
		return with(TOPIC, topic);
	}

	/** Adds the event; {@code null} adds nothing. */
	public LogContext eventId(String eventId) {
		return with(EVENT_ID, eventId);
	}

	/** Adds the lease. */
	public LogContext leaseId(String leaseId) {
		return with(LEASE_ID, leaseId);
	}

	private LogContext with(String key, String value) {
		if (value != null && !value.isEmpty()) {
			this.entries.add(new Entry(key, MDC.get(key)));
			MDC.put(key, value);
		}
		return this;
	}

	@Override
	public void close() {
		// Last put first, so a key put twice ends with the value it had before either.
		for (int i = this.entries.size() - 1; i >= 0; i--) {
			Entry entry = this.entries.get(i);
			if (entry.replaced() != null) {
				MDC.put(entry.key(), entry.replaced());
			}
			else {
				MDC.remove(entry.key());
			}
		}
		this.entries.clear();
	}

	/**
	 * One key this context put.
	 *
	 * @param key the key
	 * @param replaced the value it had before, {@code null} when none
	 */
	private record Entry(String key, String replaced) {
	}

}
