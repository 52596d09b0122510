package io.eventgateway.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** The benchmark scenarios; each starts its own broker and the roles it needs. */
final class Scenarios {

	private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

	private Scenarios() {
	}

	/**
	 * The baseline: Kafka alone, producer and consumer throughput and end-to-end latency.
	 */
	static BenchResult rawKafka(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		try (BenchBroker broker = BenchBroker.start()) {
			broker.createTopic("raw", 6);
			broker.createTopic("raw-latency", 6);
			RawKafka kafka = new RawKafka(broker.bootstrapServers());
			Duration phase = options.duration().dividedBy(3);
			options.out().println("raw-kafka: producing for " + phase.toSeconds() + "s");
			RawKafka.Produced produced = kafka.produce("raw", phase);
			figures.put("producer records/s", produced.recordsPerSecond());
			figures.put("producer MB/s", produced.megabytesPerSecond());
			RawKafka.Consumed consumed = kafka.consume("raw", produced.acknowledged(), DRAIN_TIMEOUT);
			figures.put("consumer records/s", consumed.records() / consumed.seconds());
			lost = consumed.missing() + produced.failed();
			int rate = (options.rate() != null) ? options.rate() : 2000;
			options.out().println("raw-kafka: end-to-end latency at " + rate + "/s for " + phase.toSeconds() + "s");
			figures.putAll(
					Latencies.percentiles("end-to-end at " + rate + "/s", kafka.endToEnd("raw-latency", rate, phase)));
		}
		return new BenchResult(
				"raw-kafka", Map.of("durationSeconds", options.duration().toSeconds(), "recordBytes",
						RawKafka.RECORD_BYTES, "producer", "acks=all, idempotence, linger 5ms, batch 64KB"),
				figures, lost);
	}

	/**
	 * Open load at stepped rates until the gateway falls behind; the highest rate it
	 * keeps up with, against raw Kafka's producer throughput in the same run.
	 */
	static BenchResult throughput(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		try (BenchBroker broker = BenchBroker.start()) {
			broker.createTopic("raw", 6);
			RawKafka.Produced raw = new RawKafka(broker.bootstrapServers()).produce("raw",
					options.duration().dividedBy(5));
			figures.put("raw-kafka producer records/s", raw.recordsPerSecond());
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), new BenchProcessor(0))) {
				Search search = search(gateway, options, options.duration().multipliedBy(4).dividedBy(5));
				figures.put("highest sustained events/s", search.best());
				figures.put("steps", search.steps());
				figures.put("CPU µs per event at that rate (every role and the load, one JVM)",
						search.cpuMicrosPerEvent());
				figures.put("ratio to raw-kafka producer", search.best() / raw.recordsPerSecond());
				lost = search.lost();
			}
		}
		return new BenchResult("throughput", Map.of("durationSeconds", options.duration().toSeconds(), "mix",
				"10% P30, 30% P20, 60% P10", "batch", 50), figures, lost);
	}

	/**
	 * Per-priority latency at half the sustained rate, from each event's intended send
	 * time, against raw Kafka's end-to-end latency at the same rate.
	 */
	static BenchResult latency(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		try (BenchBroker broker = BenchBroker.start()) {
			int rate;
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), new BenchProcessor(0))) {
				if (options.rate() != null) {
					rate = options.rate();
				}
				else {
					Search search = search(gateway, options, options.duration().dividedBy(2));
					rate = (int) Math.max(1, search.best() / 2);
				}
				figures.put("rate events/s", rate);
				gateway.warmUp(warmUp(options), Math.min(rate, 1000));
				GatewayLoad load = gateway.load("latency");
				Duration phase = options.duration().dividedBy(3);
				options.out().println("latency: " + rate + " events/s for " + phase.toSeconds() + "s");
				load.run(rate, phase, 0.1, 0.3);
				lost = gateway.awaitProcessed(load.accepted(), DRAIN_TIMEOUT);
				gateway.processor().latencies().report("ingest to worker", figures);
				ServerTimings.report(gateway.cluster(), figures);
			}
			broker.createTopic("raw-latency", 6);
			Histogram raw = new RawKafka(broker.bootstrapServers()).endToEnd("raw-latency", rate,
					options.duration().dividedBy(6));
			figures.putAll(Latencies.percentiles("raw-kafka end-to-end", raw));
			Object p30 = figures.get("ingest to worker P30 p99 ms");
			if (p30 instanceof Double p30p99 && raw.getValueAtPercentile(99) > 0) {
				figures.put("P30 p99 / raw-kafka p99", p30p99 / (raw.getValueAtPercentile(99) / 1000.0));
			}
		}
		return new BenchResult("latency",
				Map.of("durationSeconds", options.duration().toSeconds(), "mix", "10% P30, 30% P20, 60% P10"), figures,
				lost);
	}

	/** Overload against a FIFO baseline: see {@link OverloadScenario}. */
	static BenchResult overload(BenchOptions options) throws Exception {
		return OverloadScenario.run(options);
	}

	/** A burst against the orchestrator's memory gates: see {@link BurstScenario}. */
	static BenchResult burst(BenchOptions options) throws Exception {
		return BurstScenario.run(options);
	}

	private static Search search(BenchGateway gateway, BenchOptions options, Duration budget)
			throws InterruptedException {
		// Doubling steps until the gateway falls behind, then one step halfway back, or
		// until the budget is spent.
		int steps = 6;
		Duration step = max(Duration.ofSeconds(2), budget.dividedBy(steps));
		int rate = (options.rate() != null) ? options.rate() : 1000;
		double best = 0;
		double cpuAtBest = 0;
		Integer failed = null;
		StringBuilder tried = new StringBuilder();
		long lost = 0;
		for (int i = 0; i < steps; i++) {
			GatewayLoad load = gateway.load("step" + i);
			long cpuBefore = ProcessCpu.nanos();
			load.run(rate, step, 0.1, 0.3);
			// Keeping up: everything accepted, and processed within a fifth of the step.
			long behind = gateway.awaitProcessed(load.accepted(), step.dividedBy(5).plusSeconds(1));
			double cpuMicrosPerEvent = (ProcessCpu.nanos() - cpuBefore) / 1000.0 / Math.max(1, load.offered());
			boolean kept = behind == 0 && load.refused() == 0;
			tried.append(rate).append(kept ? " ok" : " behind").append("; ");
			options.out()
				.printf("throughput: %d events/s %s (%.0f CPU µs per event)%n", rate, kept ? "kept up" : "fell behind",
						cpuMicrosPerEvent);
			lost += gateway.awaitProcessed(load.accepted(), DRAIN_TIMEOUT);
			if (kept) {
				best = rate;
				cpuAtBest = cpuMicrosPerEvent;
			}
			else {
				failed = rate;
			}
			if (failed == null) {
				rate = rate * 2;
			}
			else if (failed - best > Math.max(best / 4, 100)) {
				// Bisect between the last rate kept up with and the first one missed.
				rate = (int) (best + failed) / 2;
			}
			else {
				break;
			}
		}
		return new Search(best, cpuAtBest, tried.toString().trim(), lost);
	}

	/** A sixth of the run, from 2 to 10 seconds. */
	private static Duration warmUp(BenchOptions options) {
		Duration sixth = options.duration().dividedBy(6);
		return max(Duration.ofSeconds(2),
				(sixth.compareTo(Duration.ofSeconds(10)) > 0) ? Duration.ofSeconds(10) : sixth);
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private record Search(double best, double cpuMicrosPerEvent, String steps, long lost) {
	}

}
