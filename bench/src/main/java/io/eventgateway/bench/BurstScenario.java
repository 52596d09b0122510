package io.eventgateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;

import io.eventgateway.bench.load.LoadGenerator;
import io.eventgateway.common.event.Priority;

/**
 * A burst of ten times the workers' capacity into an orchestrator that runs in a JVM of
 * its own with a small heap, big enough to cross every source's memory threshold: the
 * orchestrator's heap growth against its thresholds together and each source's charged
 * bytes against its threshold (bound: plus 10%, see {@link MemoryVerdict}), pauses and
 * resumes per source, whether it ran out of memory, and the time to drain.
 */
final class BurstScenario {

	/** The orchestrator's heap: small, so that a burst of a few seconds fills it. */
	static final String HEAP = "-Xmx192m";

	/**
	 * The orchestrator's memory settings for this heap. Thresholds below the shipped ones
	 * (30/20/15/10/40), which assume a heap far larger than the role's own footprint:
	 * here the thresholds together (45%), the fetch buffers (2 × 5 consumers × 512KB) and
	 * the role itself (Spring, Kafka and gRPC clients, about 40MB) must all fit 128MB.
	 * Every threshold stays above the hysteresis (5 points): a gate opens again only
	 * below threshold minus hysteresis. Small fetches keep a poll's overshoot of a
	 * threshold within a few percent of it.
	 */
	static final List<String> ORCHESTRATOR_SETTINGS = List.of("--gateway.orchestrator.memory-threshold-percent.p30=20",
			"--gateway.orchestrator.memory-threshold-percent.p20=15",
			"--gateway.orchestrator.memory-threshold-percent.p10=10",
			"--gateway.orchestrator.memory-threshold-percent.offload=8",
			"--gateway.orchestrator.memory-threshold-percent.retry=30",
			"--gateway.orchestrator.kafka.fetch-max-bytes=512KB",
			"--gateway.orchestrator.kafka.max-partition-fetch-bytes=256KB");

	private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

	/** How long the gates get to open again once everything is processed. */
	private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(15);

	private BurstScenario() {
	}

	static BenchResult run(BenchOptions options) throws Exception {
		return run(options, (series) -> {
		});
	}

	/**
	 * Runs the burst; {@code perSecond} receives what was read from the orchestrator each
	 * second (heap in use, each source's charged bytes, the sources paused for memory).
	 */
	static BenchResult run(BenchOptions options, Consumer<List<MemorySample>> perSecond) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		List<String> failures = new ArrayList<>();
		Map<String, Object> settings = new LinkedHashMap<>();
		long lost;
		Path folder = Files.createTempDirectory("bench-burst-");
		try (BenchBroker broker = BenchBroker.start()) {
			BenchProcessor processor = new BenchProcessor(options.capacity());
			try (BurstGateway gateway = BurstGateway.start(broker.bootstrapServers(), List.of(HEAP),
					ORCHESTRATOR_SETTINGS, processor, folder); LoadGenerator generator = LoadGenerator.start()) {
				OrchestratorProcess orchestrator = gateway.orchestrator();
				GatewayLoad warmUp = new GatewayLoad(generator, gateway.ingestGrpcPort(), "warm-up");
				warmUp.run(Math.max(1, options.capacity() / 2), Duration.ofSeconds(2), 0.1, 0.3);
				processor.awaitProcessed(warmUp.accepted(), Duration.ofMinutes(2));
				processor.reset();
				JsonNode before = orchestrator.gatewayState();
				Map<String, Long> thresholds = thresholds(before);
				BurstPlan plan = BurstPlan.of(options.capacity(), options.duration(), priorityThresholds(thresholds));
				if (!plan.reachesThresholds()) {
					failures.add("a burst of " + plan.events() + " events of at most " + BurstPlan.MAX_PAYLOAD_BYTES
							+ " bytes cannot cross every threshold: raise --duration or --capacity");
				}
				BurstLoad burst = new BurstLoad(gateway.ingestGrpcPort());
				long heapBefore = orchestrator.heapUsedBytes();
				long burstEnd;
				try (MemoryWatch watch = new MemoryWatch(orchestrator)) {
					options.out()
						.printf("burst: %d events of %d KiB at %d/s (%.0f MiB) into an orchestrator with %s%n",
								plan.events(), plan.payloadBytes() / 1024, plan.rate(),
								MemoryVerdict.mebibytes(plan.heldBytes()), HEAP);
					burst.run(plan);
					burstEnd = System.nanoTime();
					lost = processor.awaitProcessed(burst.accepted(), DRAIN_TIMEOUT, orchestrator::isAlive)
							+ burst.refused();
					if (!orchestrator.isAlive()) {
						// Nothing would drain the rest: say so now rather than after the
						// drain timeout.
						throw new IllegalStateException("the orchestrator exited during the burst (OutOfMemoryError: "
								+ (orchestrator.ranOutOfMemory() ? "yes" : "no") + "), its log is in " + folder);
					}
					figures.put("drain seconds", (System.nanoTime() - burstEnd) / 1e9);
					JsonNode after = awaitGatesOpen(orchestrator);
					watch.close();
					figures.put("burst events", plan.events());
					figures.put("burst payload bytes per event", plan.payloadBytes());
					figures.put("burst MiB (payloads and per-task overhead)",
							MemoryVerdict.mebibytes(plan.heldBytes()));
					figures.put("orchestrator max heap MiB", MemoryVerdict.mebibytes(orchestrator.heapMaxBytes()));
					figures.put("orchestrator heap in use before the burst MiB", MemoryVerdict.mebibytes(heapBefore));
					figures.put("orchestrator peak heap in use MiB", MemoryVerdict.mebibytes(watch.peakHeapUsed()));
					figures.put("orchestrator heap growth (judged) MiB",
							MemoryVerdict.mebibytes(watch.peakHeapUsed() - heapBefore));
					figures.put("orchestrator thresholds together MiB",
							MemoryVerdict.mebibytes(MemoryVerdict.allowedHeldBytes(thresholds)));
					Map<String, Long> peaks = watch.peakCharged();
					Map<String, Long> pauses = new HashMap<>();
					Map<String, Long> resumes = new HashMap<>();
					for (Map.Entry<String, JsonNode> source : after.path("sources").properties()) {
						String name = source.getKey();
						long threshold = thresholds.getOrDefault(name, 0L);
						long peak = peaks.getOrDefault(name, 0L);
						pauses.put(name, source.getValue().path("pauses").asLong(0));
						resumes.put(name, source.getValue().path("resumes").asLong(0));
						figures.put(name + " threshold MiB", MemoryVerdict.mebibytes(threshold));
						figures.put(name + " peak charged MiB", MemoryVerdict.mebibytes(peak));
						figures.put(name + " peak / threshold",
								(threshold > 0) ? (double) peak / threshold : Double.NaN);
						figures.put(name + " pauses/resumes", pauses.get(name) + "/" + resumes.get(name));
					}
					failures.addAll(MemoryVerdict.failures(thresholds, peaks, pauses, resumes));
					String heap = MemoryVerdict.heapFailure(thresholds, heapBefore, watch.peakHeapUsed());
					if (heap != null) {
						failures.add(heap);
					}
					figures.put("memory reads failed", watch.failedReads());
					if (watch.failedReads() > 0) {
						options.out().println("burst: last failed read of the orchestrator: " + watch.lastFailure());
					}
					perSecond.accept(watch.perSecond());
				}
				boolean outOfMemory = orchestrator.ranOutOfMemory();
				figures.put("orchestrator OutOfMemoryError", outOfMemory ? "yes" : "no");
				if (outOfMemory) {
					failures.add("the orchestrator ran out of heap; see " + orchestrator.log());
				}
				else if (!orchestrator.isAlive()) {
					failures.add("the orchestrator exited during the burst; see " + orchestrator.log());
				}
				PriorityFigures.report("gateway", processor.latencies(), figures);
				settings.put("burstRate", plan.rate());
				settings.put("burstSeconds", plan.length().toMillis() / 1000.0);
				settings.put("burstShares", plan.shares());
			}
		}
		settings.put("durationSeconds", options.duration().toSeconds());
		settings.put("capacity", options.capacity());
		settings.put("orchestratorJvm", HEAP + " -XX:+ExitOnOutOfMemoryError, a process of its own");
		settings.put("orchestratorSettings", ORCHESTRATOR_SETTINGS);
		settings.put("worker", "concurrency 1, 50 tasks per batch");
		return new BenchResult("burst", settings, figures, lost, failures);
	}

	/** Per source, its threshold in bytes, as the orchestrator reports it. */
	private static Map<String, Long> thresholds(JsonNode state) {
		Map<String, Long> thresholds = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> source : state.path("sources").properties()) {
			thresholds.put(source.getKey(), source.getValue().path("thresholdBytes").asLong(0));
		}
		return thresholds;
	}

	private static Map<Priority, Long> priorityThresholds(Map<String, Long> thresholds) {
		Map<Priority, Long> priorities = new EnumMap<>(Priority.class);
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			priorities.put(priority, thresholds.getOrDefault(priority.name().toLowerCase(java.util.Locale.ROOT), 0L));
		}
		return priorities;
	}

	/**
	 * The orchestrator's state once no source is paused for memory any more (a gate opens
	 * when its source's loop next checks it), or after {@link #RESUME_TIMEOUT}.
	 */
	private static JsonNode awaitGatesOpen(OrchestratorProcess orchestrator) throws Exception {
		long deadline = System.nanoTime() + RESUME_TIMEOUT.toNanos();
		JsonNode state = orchestrator.gatewayState();
		while (anyPaused(state) && System.nanoTime() < deadline) {
			Thread.sleep(200);
			state = orchestrator.gatewayState();
		}
		return state;
	}

	private static boolean anyPaused(JsonNode state) {
		for (Map.Entry<String, JsonNode> source : state.path("sources").properties()) {
			if (source.getValue().path("pausedForMemory").asBoolean(false)) {
				return true;
			}
		}
		return false;
	}

}
