package io.eventgateway.common.trace;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * {@link EventTracing} on Micrometer Tracing: spans go wherever the role's tracer exports
 * them (OTLP), and trace parents are written and read by its W3C propagator.
 *
 * <p>
 * Thread-safe.
 */
public class MicrometerEventTracing implements EventTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	/**
	 * @param tracer the role's tracer
	 * @param propagator the role's propagator, producing W3C Trace Context
	 */
	public MicrometerEventTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public boolean enabled() {
		return true;
	}

	@Override
	public String currentTraceParent() {
		Span current = this.tracer.currentSpan();
		return (current != null) ? traceParentOf(current.context()) : "";
	}

	@Override
	public EventSpan start(String name, String traceParent) {
		if (traceParent == null || traceParent.isEmpty()) {
			return EventSpan.NONE;
		}
		Span span = this.propagator.extract(Map.of(HEADER, traceParent), Map::get).name(name).start();
		return new MicrometerEventSpan(span);
	}

	private String traceParentOf(TraceContext context) {
		Map<String, String> carrier = new HashMap<>(2);
		this.propagator.inject(context, carrier, Map::put);
		String traceParent = carrier.get(HEADER);
		return (traceParent != null) ? traceParent : "";
	}

	/** A started Micrometer span. */
	private final class MicrometerEventSpan implements EventSpan {

		private final Span span;

		MicrometerEventSpan(Span span) {
			this.span = span;
		}

		@Override
		public EventSpan tag(String key, String value) {
			this.span.tag(key, value);
			return this;
		}

		@Override
		public String traceParent() {
			return traceParentOf(this.span.context());
		}

		@Override
		public Scope makeCurrent() {
			Tracer.SpanInScope scope = MicrometerEventTracing.this.tracer.withSpan(this.span);
			return scope::close;
		}

		@Override
		public void end() {
			this.span.end();
		}

		@Override
		public void fail(Throwable error) {
			this.span.error(error);
			this.span.end();
		}

	}

}
