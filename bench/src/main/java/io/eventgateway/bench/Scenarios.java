package io.eventgateway.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import io.eventgateway.bench.load.LoadGenerator;
import io.eventgateway.bench.load.LoadMain;
import io.eventgateway.bench.load.RawProducer;
import io.eventgateway.bench.series.JitShare;
import io.eventgateway.bench.series.MeteredProcess;
import io.eventgateway.bench.series.ProcessRole;
import io.eventgateway.bench.series.SecondSample;
import io.eventgateway.bench.series.Series;
import io.eventgateway.bench.series.SeriesSampler;
import io.eventgateway.bench.series.SeriesSource;
import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.config.OrchestratorSources;
import io.eventgateway.orchestrator.memory.MemoryLedger;

/** The benchmark scenarios; each starts its own broker and the roles it needs. */
final class Scenarios {

	private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

	private static final int WARM_UP_RATE = BenchOptions.WARM_UP_RATE;

	/** Where the throughput search starts without {@code --rate}, events/s. */
	static final int DEFAULT_START_RATE = 1000;

	private Scenarios() {
	}

	/**
	 * The baseline: Kafka alone, producer and consumer throughput and end-to-end latency,
	 * the records produced by the load generator's JVM and consumed in this one.
	 */
	static BenchResult rawKafka(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		Series series;
		try (BenchBroker broker = BenchBroker.start(); LoadGenerator generator = LoadGenerator.start()) {
			broker.createTopic("raw", 6);
			broker.createTopic("raw-latency", 6);
			RawKafka kafka = new RawKafka(broker.bootstrapServers(), generator);
			SeriesSampler sampler = SeriesSampler.start("raw-kafka",
					SeriesSource.of(generator::offered, generator::accepted, kafka::received, () -> null),
					List.of(MeteredProcess.thisJvm("consumer JVM", ProcessRole.CONSUMER),
							MeteredProcess.other("broker", ProcessRole.BROKER, broker.pid()), MeteredProcess
								.other("load generator (producer)", ProcessRole.LOAD_GENERATOR, generator.pid())));
			try {
				Duration phase = options.duration().dividedBy(3);
				options.out().println("raw-kafka: producing for " + phase.toSeconds() + "s");
				sampler.phase("produce");
				RawKafka.Produced produced = kafka.produce("raw", phase);
				figures.put("producer records/s", produced.recordsPerSecond());
				figures.put("producer MB/s", produced.megabytesPerSecond());
				sampler.phase("consume");
				RawKafka.Consumed consumed = kafka.consume("raw", produced.acknowledged(), DRAIN_TIMEOUT);
				figures.put("consumer records/s", consumed.records() / consumed.seconds());
				lost = consumed.missing() + produced.failed();
				int rate = (options.rate() != null) ? options.rate() : 2000;
				options.out().println("raw-kafka: end-to-end latency at " + rate + "/s for " + phase.toSeconds() + "s");
				sampler.phase("latency warm-up");
				double[] measuredFrom = new double[1];
				RawKafka.EndToEnd endToEnd = kafka.endToEnd("raw-latency", rate,
						settlingWarmUp(options, ProcessHandle.current().pid(), generator.pid(), broker.pid()), phase,
						() -> {
							sampler.phase("latency");
							measuredFrom[0] = sampler.elapsedSeconds();
						});
				options.out().println("raw-kafka: " + endToEnd.warmUp().describe());
				figures.put("raw-kafka warm-up", endToEnd.warmUp().describe());
				figures.putAll(Latencies.percentiles("end-to-end at " + rate + "/s", endToEnd.latency()));
				series = sampler.stop();
				List<SecondSample> steady = Series
					.secondHalf(series.between(measuredFrom[0], measuredFrom[0] + phase.toMillis() / 1000.0));
				figures.put("CPU µs per record at " + rate + "/s, broker",
						series.cpuMicrosPerEvent(steady, Set.of(ProcessRole.BROKER)));
				figures.put("CPU µs per record at " + rate + "/s, consumer",
						series.cpuMicrosPerEvent(steady, Set.of(ProcessRole.CONSUMER)));
				figures.put("CPU µs per record at " + rate + "/s, producer (load generator)",
						series.cpuMicrosPerEvent(steady, Set.of(ProcessRole.LOAD_GENERATOR)));
			}
			finally {
				sampler.stop();
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("durationSeconds", options.duration().toSeconds());
		settings.put("warmUpSeconds", options.warmUp().toSeconds());
		settings.put("warmUpLimitSeconds", options.warmUpLimit().toSeconds());
		settings.put("recordBytes", RawKafka.RECORD_BYTES);
		settings.put("producer",
				RawProducer.DESCRIPTION + ", in the load generator's JVM (" + LoadGenerator.HEAP + ")");
		return new BenchResult("raw-kafka", settings, figures, lost, List.of(), List.of(series));
	}

	/**
	 * Open load at stepped rates until the gateway no longer sustains it; the highest
	 * rate it sustains, against raw Kafka's producer throughput in the same run.
	 */
	static BenchResult throughput(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		Series series;
		try (BenchBroker broker = BenchBroker.start()) {
			broker.createTopic("raw", 6);
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), new BenchProcessor(0))) {
				RawKafka.Produced raw = new RawKafka(broker.bootstrapServers(), gateway.loadGenerator()).produce("raw",
						options.duration().dividedBy(5));
				figures.put("raw-kafka producer records/s", raw.recordsPerSecond());
				figures.put("warm-up", warmUp(gateway, broker, options, WARM_UP_RATE).describe());
				SeriesSampler sampler = SeriesSampler.start("throughput", new GatewaySeries(gateway),
						GatewaySeries.processes(broker, gateway));
				try {
					Search search = search(gateway, sampler, options, options.duration().multipliedBy(4).dividedBy(5));
					figures.put("highest sustained events/s", search.best());
					// True: no step failed, so the rate above is a lower bound.
					figures.put("search ceiling hit", search.ceilingHit());
					figures.put("search resolution (missed / sustained - 1)", search.resolution());
					figures.put("steps", search.steps());
					figures.put("ratio to raw-kafka producer", search.best() / raw.recordsPerSecond());
					if (search.bestStep() != null) {
						ThroughputStep best = search.bestStep();
						figures.put("P30 p99 ms at that rate (second half)", best.p30P99Millis());
						sampler.snapshot().reportCpu("at that rate (second half),", best.secondHalf(), figures);
					}
					lost = search.lost();
				}
				finally {
					series = sampler.stop();
				}
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("durationSeconds", options.duration().toSeconds());
		settings.put("warmUpSeconds", options.warmUp().toSeconds());
		settings.put("warmUpLimitSeconds", options.warmUpLimit().toSeconds());
		settings.put("mix", "10% P30, 30% P20, 60% P10");
		settings.put("client",
				"batches of 50, linger " + LoadMain.LINGER.toMillis() + "ms, in the load generator's JVM");
		settings.put("stepSeconds", options.step().toMillis() / 1000.0);
		settings.put("search",
				"from " + ((options.rate() != null) ? options.rate() : DEFAULT_START_RATE)
						+ "/s doubling until a step is not sustained, then bisecting to within "
						+ (int) (100 * RateSearch.RESOLUTION) + "%, at most "
						+ RateSearch.stepsWithin(options.duration().multipliedBy(4).dividedBy(5), options.step())
						+ " steps (4/5 of --duration over --step); 'search ceiling hit' true means no step failed");
		settings.put("sustained when", "at least " + ThroughputStep.MIN_JUDGED_SAMPLES
				+ " per-second samples in the step's second half, ingest answered for events within "
				+ (int) (100 * ThroughputStep.SEND_TOLERANCE)
				+ "% of the offered rate, every event accepted, backlog growth over the step's second half at most "
				+ ThroughputStep.BACKLOG_SLACK + " + " + (int) (100 * ThroughputStep.BACKLOG_TOLERANCE)
				+ "% of its events, P30 p99 over that half at most " + options.p30Bound().toMillis() + " ms");
		return new BenchResult("throughput", settings, figures, lost, List.of(), List.of(series));
	}

	/**
	 * Per-priority latency at half the sustained rate, from each event's intended send
	 * time, against raw Kafka's end-to-end latency at the same rate, produced from the
	 * same load generator JVM while the gateway runs idle.
	 */
	static BenchResult latency(BenchOptions options) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		Series series;
		Duration phase = options.duration().dividedBy(3);
		int rate;
		try (BenchBroker broker = BenchBroker.start()) {
			broker.createTopic("raw-latency", 6);
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), new BenchProcessor(0))) {
				figures.put("warm-up",
						warmUp(gateway, broker, options,
								(options.rate() != null) ? Math.min(options.rate(), WARM_UP_RATE) : WARM_UP_RATE)
							.describe());
				SeriesSampler sampler = SeriesSampler.start("latency", new GatewaySeries(gateway),
						GatewaySeries.processes(broker, gateway));
				try {
					if (options.rate() != null) {
						rate = options.rate();
					}
					else {
						Search search = search(gateway, sampler, options, options.duration().dividedBy(2));
						rate = (int) Math.max(1, search.best() / 2);
						figures.put("search ceiling hit", search.ceilingHit());
					}
					figures.put("rate events/s", rate);
					sampler.phase("gateway " + rate + "/s");
					// What the search or the warm-up left is not the measured phase's.
					gateway.processor().reset();
					ServerTimings timings = ServerTimings.start(gateway.cluster());
					GatewayLoad load = gateway.load("latency");
					options.out().println("latency: " + rate + " events/s for " + phase.toSeconds() + "s");
					double from = sampler.elapsedSeconds();
					load.run(rate, phase, 0.1, 0.3);
					timings.loadEnded();
					double to = from + phase.toMillis() / 1000.0;
					sampler.phase("drain");
					lost = gateway.awaitProcessed(load.accepted(), DRAIN_TIMEOUT) + load.refused();
					gateway.processor().latencies().report("ingest to worker", figures);
					figures.put("achieved rate (events ingest answered for) events/s", load.outcome().achievedRate());
					Series sofar = sampler.snapshot();
					List<SecondSample> steady = Series.secondHalf(sofar.between(from, to));
					Histogram p30Steady = Series.p30(steady);
					if (p30Steady.getTotalCount() > 0) {
						figures.putAll(Latencies.percentiles("ingest to worker P30 (second half)", p30Steady));
					}
					sofar.reportCpu("second half,", steady, figures);
					timings.report(figures);
					sampler.phase("raw-kafka warm-up");
					options.out().println("latency: raw Kafka at " + rate + " events/s for " + phase.toSeconds() + "s");
					// Its warm-up follows the producer's JVM and the broker: this JVM's
					// compilers may still be busy with the gateway's code, which raw
					// Kafka does not run.
					RawKafka.EndToEnd endToEnd = new RawKafka(broker.bootstrapServers(), gateway.loadGenerator())
						.endToEnd("raw-latency", rate,
								settlingWarmUp(options, gateway.loadGenerator().pid(), broker.pid()), phase,
								() -> sampler.phase("raw-kafka " + rate + "/s"));
					options.out().println("latency: raw Kafka " + endToEnd.warmUp().describe());
					figures.put("raw-kafka warm-up", endToEnd.warmUp().describe());
					Histogram raw = endToEnd.latency();
					figures.putAll(Latencies.percentiles("raw-kafka end-to-end", raw));
					Object p30 = figures.get("ingest to worker P30 p99 ms");
					if (p30 instanceof Double p30p99 && raw.getValueAtPercentile(99) > 0) {
						figures.put("P30 p99 / raw-kafka p99", p30p99 / (raw.getValueAtPercentile(99) / 1000.0));
					}
				}
				finally {
					series = sampler.stop();
				}
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("durationSeconds", options.duration().toSeconds());
		settings.put("warmUpSeconds", options.warmUp().toSeconds());
		settings.put("warmUpLimitSeconds", options.warmUpLimit().toSeconds());
		settings.put("measuredSeconds", phase.toSeconds());
		settings.put("mix", "10% P30, 30% P20, 60% P10");
		settings.put("raw-kafka", RawProducer.DESCRIPTION + ", " + RawKafka.RECORD_BYTES
				+ "-byte records, from the same load generator JVM, after a warm-up by the same rule (following the load generator and the broker), gateway idle");
		return new BenchResult("latency", settings, figures, lost, List.of(), List.of(series));
	}

	/** Overload against a FIFO baseline: see {@link OverloadScenario}. */
	static BenchResult overload(BenchOptions options) throws Exception {
		return OverloadScenario.run(options);
	}

	/** A burst against the orchestrator's memory gates: see {@link BurstScenario}. */
	static BenchResult burst(BenchOptions options) throws Exception {
		return BurstScenario.run(options);
	}

	/**
	 * The throughput search (see {@link RateSearch}): steps of {@code --step} from
	 * {@code --rate} (default 1000/s), as many as the budget holds.
	 */
	private static Search search(BenchGateway gateway, SeriesSampler sampler, BenchOptions options, Duration budget)
			throws InterruptedException {
		Duration step = options.step();
		RateSearch search = new RateSearch((options.rate() != null) ? options.rate() : DEFAULT_START_RATE,
				RateSearch.stepsWithin(budget, step));
		ThroughputStep bestStep = null;
		StringBuilder tried = new StringBuilder();
		long lost = 0;
		while (search.hasNext()) {
			int rate = search.next();
			GatewayLoad load = gateway.load("step" + search.steps());
			sampler.phase("step " + rate + "/s");
			double from = sampler.elapsedSeconds();
			load.run(rate, step, 0.1, 0.3);
			double to = from + step.toMillis() / 1000.0;
			sampler.phase("drain");
			lost += gateway.awaitProcessed(load.accepted(), DRAIN_TIMEOUT);
			ThroughputStep judged = ThroughputStep.judge(rate, load.outcome(), sampler.snapshot().between(from, to),
					options.p30Bound());
			tried.append(judged.summary()).append("; ");
			options.out().println("throughput: " + judged.summary());
			if (judged.sustained() && rate >= search.best()) {
				bestStep = judged;
			}
			search.record(judged.sustained());
		}
		if (search.ceilingHit()) {
			options.out()
				.println("throughput: every step was sustained; " + search.best()
						+ "/s is a lower bound (a longer --duration allows more steps)");
		}
		return new Search(search.best(), bestStep, tried.toString().trim(), lost, search.ceilingHit(),
				search.resolution());
	}

	/**
	 * The warm-up of a throughput, latency or overload run: at least {@code --warm-up},
	 * then until the gateway JVM's and the broker's JIT compilers settle (see
	 * {@link SettlingWarmUp}), at most {@code --warm-up-limit}.
	 */
	static SettlingWarmUp.Warmed warmUp(BenchGateway gateway, BenchBroker broker, BenchOptions options, int rate)
			throws IOException, InterruptedException {
		if (!options.warmUp().isZero()) {
			options.out()
				.println("warm-up: " + rate + " events/s for " + options.warmUp().toSeconds() + "s"
						+ (options.warmUpLimit().equals(options.warmUp()) ? ""
								: ", then until JIT compilation settles, at most " + options.warmUpLimit().toSeconds()
										+ "s in all"));
		}
		SettlingWarmUp.Warmed warmed = settlingWarmUp(options, ProcessHandle.current().pid(), broker.pid())
			.run((length) -> gateway.warmUp(length, rate));
		options.out().println("warm-up: " + warmed.describe());
		return warmed;
	}

	/**
	 * A warm-up of {@code --warm-up} to {@code --warm-up-limit} that follows the JIT
	 * compilers of these processes.
	 */
	private static SettlingWarmUp settlingWarmUp(BenchOptions options, long... pids) {
		JitShare jit = JitShare.of(Arrays.stream(pids).boxed().toList());
		return new SettlingWarmUp(options.warmUp(), options.warmUpLimit(), jit::sinceLast);
	}

	private record Search(double best, ThroughputStep bestStep, String steps, long lost, boolean ceilingHit,
			double resolution) {
	}

}
