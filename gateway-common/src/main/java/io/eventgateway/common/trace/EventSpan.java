package io.eventgateway.common.trace;

/**
 * One step of an event's path, started by {@link EventTracing#start}. Ended exactly once,
 * by {@link #end()} or {@link #fail(Throwable)}, on any thread.
 */
public interface EventSpan {

	/** No span: tracing is off or the event carries no trace. */
	EventSpan NONE = new EventSpan() {

		@Override
		public EventSpan tag(String key, String value) {
			return this;
		}

		@Override
		public String traceParent() {
			return "";
		}

		@Override
		public Scope makeCurrent() {
			return Scope.NONE;
		}

		@Override
		public void end() {
		}

		@Override
		public void fail(Throwable error) {
		}

	};

	/** Adds a low-volume attribute (a topic, an outcome); never a payload. */
	EventSpan tag(String key, String value);

	/**
	 * This span as a W3C {@code traceparent}, for the next hop; empty for {@link #NONE}.
	 */
	String traceParent();

	/**
	 * Makes this span the current one on this thread until the scope closes, so that log
	 * lines written meanwhile carry its trace and span ids.
	 */
	Scope makeCurrent();

	/** Ends the span. */
	void end();

	/** Records the failure on the span and ends it. */
	void fail(Throwable error);

	/** A span made current; closing it restores what was current before. */
	interface Scope extends AutoCloseable {

		/** Nothing was made current. */
		Scope NONE = () -> {
		};

		@Override
		void close();

	}

}
