package io.eventgateway.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventgateway.bench.series.Series;
import io.eventgateway.bench.series.SeriesSampler;
import io.eventgateway.common.event.Priority;

/**
 * Workers of a fixed capacity offered several times that load for {@code --duration},
 * then drained: per priority latency and SLO attainment over the whole run (load and
 * drain) and goodput, against a FIFO baseline (the same ingest and publisher, one topic,
 * one consumer group, offset order, the same capacity) under the same load. Both systems
 * are warmed up first (the gateway until its JIT compilers settle, as the throughput and
 * latency runs, at the offered rate with the capacity lifted; the baseline, which runs in
 * the same JVM after it, for a short fixed time at half the capacity); the gateway's
 * orchestrator and the baseline's consumer own their partitions before the load starts.
 */
final class OverloadScenario {

	private OverloadScenario() {
	}

	static BenchResult run(BenchOptions options) throws Exception {
		OverloadPlan plan = OverloadPlan.of(options.capacity(), options.factor(), options.duration());
		Map<String, Object> figures = new LinkedHashMap<>();
		long lost;
		Series series;
		try (BenchBroker broker = BenchBroker.start()) {
			BenchProcessor processor = new BenchProcessor(plan.capacity());
			try (BenchGateway gateway = new BenchGateway(broker.bootstrapServers(), processor,
					"--gateway.worker.concurrency=1", "--gateway.worker.max-tasks-per-batch=50")) {
				figures.put("warm-up", warmUp(gateway, broker, processor, options, plan));
				GatewayLoad events = gateway.load("overload");
				options.out()
					.println("overload: " + plan.offered() + " events/s against " + plan.capacity() + "/s for "
							+ plan.load().toSeconds() + "s, then drain");
				SeriesSampler sampler = SeriesSampler.start("overload", new GatewaySeries(gateway),
						GatewaySeries.processes(broker, gateway));
				try {
					sampler.phase("load " + plan.offered() + "/s");
					long start = System.nanoTime();
					events.run(plan.offered(), plan.load(), plan.p30Share(), plan.p20Share());
					sampler.phase("drain");
					lost = gateway.awaitProcessed(events.accepted(), plan.drainTimeout()) + events.refused();
					double seconds = (System.nanoTime() - start) / 1e9;
					// Processed events over the time from the first offer to the last one
					// processed.
					figures.put("gateway goodput events/s", processor.processed().size() / seconds);
					figures.put("gateway seconds to process everything", seconds);
					PriorityFigures.report("gateway", processor.latencies(), figures);
				}
				finally {
					series = sampler.stop();
				}
				// The gateway's half is known here, a drain before the baseline's: say it
				// now.
				options.out().println("overload: gateway done, lost or refused " + lost + ", " + figures);
			}
			FifoBaseline.Outcome fifo = new FifoBaseline(broker.bootstrapServers(), plan.capacity()).run(plan,
					options.out());
			figures.put("fifo goodput events/s", fifo.goodput());
			figures.put("fifo seconds to process everything", fifo.seconds());
			PriorityFigures.report("fifo", fifo.latencies(), figures);
			figures.put("fifo records that were not events", fifo.undecodable());
			lost += fifo.lost();
			double ours = processor.latencies().copy(Priority.P30).getValueAtPercentile(99);
			double theirs = fifo.latencies().copy(Priority.P30).getValueAtPercentile(99);
			figures.put("fifo P30 p99 / gateway P30 p99", (ours > 0) ? theirs / ours : Double.NaN);
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("loadSeconds", plan.load().toSeconds());
		settings.put("capacity", plan.capacity());
		settings.put("offered", plan.offered());
		settings.put("warmUpSeconds", options.warmUp().toSeconds());
		settings.put("warmUpLimitSeconds", options.warmUpLimit().toSeconds());
		settings.put("warmUpRate", warmUpRate(options, plan));
		settings.put("warmUp", options.warmUp().isZero()
				? "none asked for: " + OverloadPlan.MIN_WARM_UP.toSeconds()
						+ "s at half the capacity, for the consumers to own their partitions"
				: "the offered rate, at most " + BenchOptions.WARM_UP_RATE + "/s, with the workers' capacity lifted, "
						+ (options.warmUpLimit().equals(options.warmUp()) ? "for a fixed time"
								: "until the JIT compilers settle"));
		settings.put("fifoWarmUp", plan.warmUp().toSeconds() + "s at " + plan.warmUpRate() + " events/s");
		settings.put("mix", "10% P30, 30% P20, 60% P10");
		settings.put("worker", "concurrency 1, 50 tasks per batch; FIFO: one consumer, 50 records per poll");
		settings.put("fifo", "ingest and publisher classify every event P20 onto " + FifoGateway.TOPIC);
		return new BenchResult("overload", settings, figures, lost, List.of(), List.of(series));
	}

	/**
	 * Warms the gateway up. At the rate the run offers (at most
	 * {@link BenchOptions#WARM_UP_RATE}) with the capacity lifted: the pipeline's steady
	 * path is compiled at the rate it will carry, and no backlog is left for the load to
	 * meet. The overload's own paths (timed prefetch, deep buffers, offload) are met
	 * first under load; the series' JIT line shows their compilation. With
	 * {@code --warm-up=0s}, still {@link OverloadPlan#MIN_WARM_UP} at half the capacity:
	 * the load must not start before the orchestrator's consumers own their partitions.
	 * @return how the warm-up went
	 */
	private static String warmUp(BenchGateway gateway, BenchBroker broker, BenchProcessor processor,
			BenchOptions options, OverloadPlan plan) throws IOException, InterruptedException {
		if (options.warmUp().isZero()) {
			gateway.warmUp(OverloadPlan.MIN_WARM_UP, warmUpRate(options, plan));
			return OverloadPlan.MIN_WARM_UP.toSeconds() + "s at " + warmUpRate(options, plan)
					+ " events/s (none asked for), JIT compilation not followed";
		}
		processor.lift();
		try {
			return Scenarios.warmUp(gateway, broker, options, warmUpRate(options, plan)).describe();
		}
		finally {
			processor.limitAgain();
		}
	}

	/**
	 * The gateway's warm-up rate: the offered rate (at most
	 * {@link BenchOptions#WARM_UP_RATE}), or half the capacity for the short warm-up that
	 * stands in for none.
	 */
	private static int warmUpRate(BenchOptions options, OverloadPlan plan) {
		return options.warmUp().isZero() ? plan.warmUpRate() : Math.min(plan.offered(), BenchOptions.WARM_UP_RATE);
	}

}
