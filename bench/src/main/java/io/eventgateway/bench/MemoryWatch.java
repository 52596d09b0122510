package io.eventgateway.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

import io.eventgateway.common.event.Priority;

/**
 * Reads the orchestrator's heap, charged bytes and memory gates every
 * {@value #INTERVAL_MILLIS} ms from its actuator while the burst runs. A read that fails
 * is counted (and reported), never silently skipped.
 *
 * <p>
 * Samples are taken on one thread of its own; the results may be read from any thread.
 */
final class MemoryWatch implements AutoCloseable {

	static final long INTERVAL_MILLIS = 200;

	private static final List<String> PRIORITY_SOURCES = List.of("p30", "p20", "p10");

	private final OrchestratorProcess orchestrator;

	private final List<MemorySample> samples = new ArrayList<>();

	private final AtomicLong failedReads = new AtomicLong();

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor((task) -> new Thread(task, "burst-memory-watch"));

	private final long start = System.nanoTime();

	private volatile String lastFailure;

	MemoryWatch(OrchestratorProcess orchestrator) {
		this.orchestrator = orchestrator;
		this.timer.scheduleAtFixedRate(this::sample, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
	}

	private void sample() {
		try {
			long heap = this.orchestrator.heapUsedBytes();
			MemorySample sample = read(this.orchestrator.gatewayState(), heap,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.start));
			synchronized (this.samples) {
				this.samples.add(sample);
			}
		}
		catch (IOException | RuntimeException ex) {
			this.failedReads.incrementAndGet();
			this.lastFailure = ex.toString();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One sample from {@code /actuator/gateway}, each source charged with what its gate
	 * compares with its threshold (orchestrator's {@code MemoryLedger}): a priority
	 * source with its priority's held bytes plus the bytes it read ahead that wait to be
	 * handed on ({@code waitingBytes}); every other source (offload, retry) with every
	 * priority's held bytes plus every source's waiting bytes.
	 */
	static MemorySample read(JsonNode state, long heapUsedBytes, long atMillis) {
		Map<String, Long> charged = new HashMap<>();
		long total = 0;
		JsonNode sources = state.path("sources");
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			String name = priority.name().toLowerCase(java.util.Locale.ROOT);
			long held = state.path("priorities").path(priority.name()).path("heldBytes").asLong(0);
			charged.put(name, held + sources.path(name).path("waitingBytes").asLong(0));
			total += held;
		}
		for (Map.Entry<String, JsonNode> source : sources.properties()) {
			total += source.getValue().path("waitingBytes").asLong(0);
		}
		Set<String> paused = new HashSet<>();
		for (Map.Entry<String, JsonNode> source : sources.properties()) {
			if (!PRIORITY_SOURCES.contains(source.getKey())) {
				charged.put(source.getKey(), total);
			}
			if (source.getValue().path("pausedForMemory").asBoolean(false)) {
				paused.add(source.getKey());
			}
		}
		return new MemorySample(atMillis, heapUsedBytes, charged, paused);
	}

	/** Every sample so far, oldest first. */
	List<MemorySample> samples() {
		synchronized (this.samples) {
			return List.copyOf(this.samples);
		}
	}

	/**
	 * What was measured each second, for the per-second series: per second since the
	 * watch started, the highest sample of that second (heap in use, and each source's
	 * charged bytes), and every source paused for memory at some sample of it.
	 */
	List<MemorySample> perSecond() {
		Map<Long, MemorySample> seconds = new LinkedHashMap<>();
		for (MemorySample sample : samples()) {
			seconds.merge(sample.atMillis() / 1000, sample, MemoryWatch::highest);
		}
		List<MemorySample> series = new ArrayList<>();
		seconds.forEach((second, sample) -> series.add(new MemorySample(second * 1000, sample.heapUsedBytes(),
				sample.chargedBytes(), sample.pausedForMemory())));
		return series;
	}

	/** Per source, the most it was charged with in any sample. */
	Map<String, Long> peakCharged() {
		Map<String, Long> peaks = new HashMap<>();
		for (MemorySample sample : samples()) {
			sample.chargedBytes().forEach((source, bytes) -> peaks.merge(source, bytes, Math::max));
		}
		return peaks;
	}

	/** The most heap in use in any sample. */
	long peakHeapUsed() {
		return samples().stream().mapToLong(MemorySample::heapUsedBytes).max().orElse(0);
	}

	long failedReads() {
		return this.failedReads.get();
	}

	/** Why the last failed read failed, or {@code null}. */
	String lastFailure() {
		return this.lastFailure;
	}

	static MemorySample highest(MemorySample a, MemorySample b) {
		Map<String, Long> charged = new HashMap<>(a.chargedBytes());
		b.chargedBytes().forEach((source, bytes) -> charged.merge(source, bytes, Math::max));
		Set<String> paused = new HashSet<>(a.pausedForMemory());
		paused.addAll(b.pausedForMemory());
		return new MemorySample(Math.min(a.atMillis(), b.atMillis()), Math.max(a.heapUsedBytes(), b.heapUsedBytes()),
				charged, paused);
	}

	@Override
	public void close() throws InterruptedException {
		this.timer.shutdown();
		this.timer.awaitTermination(10, TimeUnit.SECONDS);
	}

}
