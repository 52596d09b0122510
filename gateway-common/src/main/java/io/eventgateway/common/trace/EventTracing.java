package io.eventgateway.common.trace;

/**
 * Carries one event's trace from role to role. The context travels with the event (its
 * {@code trace_parent} field, and the Kafka record header {@value #HEADER}), not on
 * threads: ingest schedules events, the publisher batches them and the orchestrator
 * buffers them, so the thread that handles an event is rarely the one that accepted it.
 *
 * <p>
 * Plain Java: roles see neither Micrometer nor OpenTelemetry types. When tracing is off
 * every role holds {@link #OFF}, which adds nothing to an event and allocates nothing;
 * callers that would do work to find a parent (read a header, decode an event) ask
 * {@link #enabled()} first.
 *
 * <p>
 * Thread-safe.
 */
public interface EventTracing {

	/** The W3C Trace Context header, on Kafka records as on HTTP requests. */
	String HEADER = "traceparent";

	/** Tracing off: no spans, empty trace parents. */
	EventTracing OFF = new EventTracing() {

		@Override
		public boolean enabled() {
			return false;
		}

		@Override
		public String currentTraceParent() {
			return "";
		}

		@Override
		public EventSpan start(String name, String traceParent) {
			return EventSpan.NONE;
		}

	};

	/** Whether spans are made at all. */
	boolean enabled();

	/**
	 * The W3C {@code traceparent} of the span current on this thread (ingest's request
	 * span), to stamp on an event; empty when there is none or tracing is off.
	 */
	String currentTraceParent();

	/**
	 * Starts a span in the trace an event carries. Not made current: it may end on
	 * another thread. An event without a trace parent (accepted while tracing was off, or
	 * written by someone else) gets no span: {@link EventSpan#NONE}.
	 * @param name the span's name, {@code gateway.<role>.<step>}
	 * @param traceParent the event's W3C {@code traceparent}, possibly empty or
	 * {@code null}
	 * @return the started span, to be ended by the caller
	 */
	EventSpan start(String name, String traceParent);

}
