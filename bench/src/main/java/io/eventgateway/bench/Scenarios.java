package io.eventgateway.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.config.OrchestratorSources;
import io.eventgateway.orchestrator.memory.MemoryLedger;

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

	/**
	 * Workers of a fixed capacity offered several times that load: per priority latency,
	 * SLO attainment and goodput, against a FIFO baseline (one topic, one consumer group,
	 * offset order) of the same capacity under the same load.
	 */
	static BenchResult overload(BenchOptions options) throws Exception {
		int capacity = options.capacity();
		int offered = capacity * options.factor();
		Duration load = max(Duration.ofSeconds(2), options.duration().dividedBy(2L * (options.factor() + 1)));
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		try (BenchBroker broker = BenchBroker.start()) {
			broker.createTopic("fifo", 6);
			BenchProcessor processor = new BenchProcessor(capacity);
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), processor,
					"--gateway.worker.concurrency=1", "--gateway.worker.max-tasks-per-batch=50")) {
				gateway.warmUp(warmUp(options), capacity / 2);
				GatewayLoad events = gateway.load("overload");
				options.out()
					.println("overload: " + offered + " events/s against " + capacity + "/s for " + load.toSeconds()
							+ "s, then drain");
				long start = System.nanoTime();
				events.run(offered, load, 0.1, 0.3);
				lost = gateway.awaitProcessed(events.accepted(), DRAIN_TIMEOUT) + events.refused();
				// Processed events over the time from the first offer to the last one
				// processed.
				figures.put("goodput events/s", processor.processed().size() / ((System.nanoTime() - start) / 1e9));
				report("gateway", processor.latencies(), figures);
			}
			FifoBaseline fifo = new FifoBaseline(broker.bootstrapServers(), "fifo", capacity);
			options.out().println("overload: the same load through a FIFO baseline");
			FifoBaseline.Outcome baseline = fifo.run(offered, load, 0.1, 0.3, DRAIN_TIMEOUT);
			report("fifo", baseline.latencies(), figures);
			lost += baseline.lost();
			double ours = processor.latencies().copy(Priority.P30).getValueAtPercentile(99);
			double theirs = baseline.latencies().copy(Priority.P30).getValueAtPercentile(99);
			figures.put("fifo P30 p99 / gateway P30 p99", (ours > 0) ? theirs / ours : Double.NaN);
		}
		return new BenchResult("overload", Map.of("durationSeconds", options.duration().toSeconds(), "capacity",
				capacity, "offered", offered, "loadSeconds", load.toSeconds(), "mix", "10% P30, 30% P20, 60% P10"),
				figures, lost);
	}

	/**
	 * A burst of ten times the workers' capacity: the orchestrator's peak buffer against
	 * its thresholds, pauses and resumes, and the time to drain.
	 */
	static BenchResult burst(BenchOptions options) throws Exception {
		int capacity = options.capacity();
		Duration burst = max(Duration.ofSeconds(1), options.duration().dividedBy(11));
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		try (BenchBroker broker = BenchBroker.start()) {
			BenchProcessor processor = new BenchProcessor(capacity);
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), processor,
					"--gateway.worker.concurrency=1", "--gateway.worker.max-tasks-per-batch=50")) {
				gateway.warmUp(warmUp(options), capacity / 2);
				MemoryLedger memory = gateway.cluster().orchestrator().getBean(MemoryLedger.class);
				OrchestratorSources sources = gateway.cluster().orchestrator().getBean(OrchestratorSources.class);
				AtomicLong peakBuffer = new AtomicLong();
				AtomicLong peakHeap = new AtomicLong();
				Thread sampler = new Thread(() -> {
					while (!Thread.currentThread().isInterrupted()) {
						peakBuffer.accumulateAndGet(memory.totalBytes(), Math::max);
						Runtime runtime = Runtime.getRuntime();
						peakHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
						try {
							TimeUnit.MILLISECONDS.sleep(100);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}, "burst-sampler");
				sampler.start();
				GatewayLoad events = gateway.load("burst");
				options.out().println("burst: " + (10 * capacity) + " events/s for " + burst.toSeconds() + "s");
				events.run(10 * capacity, burst, 0.1, 0.3);
				long burstEnd = System.nanoTime();
				lost = gateway.awaitProcessed(events.accepted(), DRAIN_TIMEOUT) + events.refused();
				figures.put("drain seconds", (System.nanoTime() - burstEnd) / 1e9);
				sampler.interrupt();
				sampler.join();
				figures.put("peak buffered MiB", peakBuffer.get() / (1024.0 * 1024));
				figures.put("peak JVM heap MiB (every role shares it)", peakHeap.get() / (1024.0 * 1024));
				for (OrchestratorSources.Source source : sources.all()) {
					String name = source.state().name();
					figures.put(name + " threshold MiB",
							source.state().memoryGate().thresholdBytes() / (1024.0 * 1024));
					figures.put(name + " pauses/resumes",
							source.state().memoryGate().pauseCount() + "/" + source.state().memoryGate().resumeCount());
				}
				report("gateway", processor.latencies(), figures);
			}
		}
		return new BenchResult("burst", Map.of("durationSeconds", options.duration().toSeconds(), "capacity", capacity,
				"burstRate", 10 * capacity, "burstSeconds", burst.toSeconds()), figures, lost);
	}

	private static void report(String system, Latencies latencies, Map<String, Object> figures) {
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			Histogram histogram = latencies.copy(priority);
			if (histogram.getTotalCount() == 0) {
				continue;
			}
			String prefix = system + " " + priority;
			figures.put(prefix + " p50 ms", histogram.getValueAtPercentile(50) / 1000.0);
			figures.put(prefix + " p99 ms", histogram.getValueAtPercentile(99) / 1000.0);
			figures.put(prefix + " within 5s %", latencies.within(priority, TimeUnit.SECONDS.toMicros(5)));
			figures.put(prefix + " within 1m %", latencies.within(priority, TimeUnit.MINUTES.toMicros(1)));
			figures.put(prefix + " within 20m %", latencies.within(priority, TimeUnit.MINUTES.toMicros(20)));
		}
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
