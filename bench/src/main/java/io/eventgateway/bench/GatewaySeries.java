package io.eventgateway.bench;

import java.util.List;

import org.HdrHistogram.Histogram;

import io.eventgateway.bench.series.MeteredProcess;
import io.eventgateway.bench.series.ProcessRole;
import io.eventgateway.bench.series.SeriesSource;
import io.eventgateway.common.event.Priority;

/**
 * What a gateway scenario's series reads each second: offered and accepted from the load
 * generator, processed and P30 latencies from the benchmark's worker, whose
 * {@link Latencies} start afresh at each reset (the count carries on across resets).
 *
 * <p>
 * Thread-safety: read by the sampler's thread while the scenario runs.
 */
final class GatewaySeries implements SeriesSource {

	private final BenchGateway gateway;

	private Latencies current;

	private long before;

	GatewaySeries(BenchGateway gateway) {
		this.gateway = gateway;
	}

	/**
	 * This JVM (every role), the broker and the load generator, and the JIT compilers of
	 * the first two.
	 */
	static List<MeteredProcess> processes(BenchBroker broker, BenchGateway gateway) {
		return List.of(MeteredProcess.thisJvm("gateway JVM", ProcessRole.GATEWAY),
				MeteredProcess.other("broker", ProcessRole.BROKER, broker.pid()),
				MeteredProcess.other("load generator", ProcessRole.LOAD_GENERATOR, gateway.loadGenerator().pid()),
				MeteredProcess.jitCompilers("JIT (gateway, broker)",
						List.of(ProcessHandle.current().pid(), broker.pid())));
	}

	@Override
	public long offered() {
		return this.gateway.loadGenerator().offered();
	}

	@Override
	public long accepted() {
		return this.gateway.loadGenerator().accepted();
	}

	@Override
	public synchronized long processed() {
		Latencies now = this.gateway.processor().latencies();
		if (now != this.current) {
			if (this.current != null) {
				this.before += this.current.count();
			}
			this.current = now;
		}
		return this.before + now.count();
	}

	@Override
	public synchronized Histogram takeP30Latencies() {
		processed();
		return this.current.takeInterval(Priority.P30);
	}

}
