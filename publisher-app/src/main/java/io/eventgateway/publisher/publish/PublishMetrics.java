package io.eventgateway.publisher.publish;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.route.RolloutRouter;
import io.eventgateway.publisher.route.RolloutRouter.Cluster;

/**
 * The publisher's meters, {@code gateway.publisher.*}: outcomes per priority, write
 * latency per priority and cluster, failures by error type (runbook scenarios 3 and 4),
 * rollout routing and writes to the delay topics per tier.
 */
public class PublishMetrics {

	private static final String PREFIX = "gateway.publisher.";

	/** The publish-latency histogram's bucket boundaries, 1ms to 10s. */
	public static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5), Duration.ofSeconds(10) };

	private final MeterRegistry registry;

	/** Meters of the success path, looked up once here rather than on every event. */
	private final Map<Priority, Counter> acceptedCounters = new EnumMap<>(Priority.class);

	/**
	 * Writes the primary (or rollout) cluster refused, whatever the cause; registered at
	 * start so that alerts see the first failure.
	 */
	private final Map<Priority, Counter> failedCounters = new EnumMap<>(Priority.class);

	private final Map<Priority, Map<Cluster, Timer>> latencyTimers = new EnumMap<>(Priority.class);

	/** Delayed events written, per delay tier; the tiers are fixed at start. */
	private final Map<Duration, Counter> delayedCounters = new ConcurrentHashMap<>();

	/**
	 * Meters without delay tiers known at start; a tier's counter appears on its first
	 * write.
	 */
	public PublishMetrics(MeterRegistry registry, RolloutRouter router, FailureCapture failures) {
		this(registry, router, failures, List.of());
	}

	/**
	 * @param registry where the meters go
	 * @param router the rollout router, whose routing is metered
	 * @param failures the failure chain, whose outcomes are metered
	 * @param delayTiers the delay tiers, whose counters are registered at start
	 */
	public PublishMetrics(MeterRegistry registry, RolloutRouter router, FailureCapture failures,
			List<Duration> delayTiers) {
		this.registry = registry;
		for (Duration tier : delayTiers) {
			this.delayedCounters.put(tier, delayedCounter(tier));
		}
		for (Priority priority : Priority.values()) {
			this.acceptedCounters.put(priority,
					registry.counter(PREFIX + "events", "priority", priority.name(), "outcome", "accepted"));
			this.failedCounters.put(priority,
					registry.counter(PREFIX + "events", "priority", priority.name(), "outcome", "failed"));
			Map<Cluster, Timer> timers = new EnumMap<>(Cluster.class);
			for (Cluster cluster : Cluster.values()) {
				timers.put(cluster,
						Timer.builder(PREFIX + "publish.latency")
							.description("Time from send to Kafka acknowledgement")
							.tag("priority", priority.name())
							.tag("cluster", tag(cluster))
							// Buckets aggregate across pods, where percentiles do not.
							.serviceLevelObjectives(LATENCY_BUCKETS)
							.register(registry));
			}
			this.latencyTimers.put(priority, timers);
		}
		FunctionCounter.builder(PREFIX + "captured", failures, FailureCapture::fallbackCount)
			.description("Refused events written to the failed-writes topic on the fallback cluster")
			.tag("destination", "failed_writes")
			.register(registry);
		FunctionCounter.builder(PREFIX + "captured", failures, FailureCapture::spoolCount)
			.description("Refused events written to the spool")
			.tag("destination", "spool")
			.register(registry);
		FunctionCounter.builder(PREFIX + "lost", failures, FailureCapture::lostCount)
			.description("Events no destination would take (the caller was told)")
			.register(registry);
		FunctionCounter.builder(PREFIX + "failure_chain.queue_full", failures, FailureCapture::fallbackQueueFullCount)
			.description("Refused events sent straight to the spool because the fallback-send queue was full")
			.tag("queue", "fallback")
			.register(registry);
		FunctionCounter
			.builder(PREFIX + "failure_chain.waited_too_long", failures, FailureCapture::fallbackWaitedTooLongCount)
			.description("Refused events sent to the spool because they waited too long for a fallback send")
			.register(registry);
		FunctionCounter.builder(PREFIX + "failure_chain.queue_full", failures, FailureCapture::spoolQueueFullCount)
			.description("Refused events answered as not stored because the spool-write queue was full (also lost)")
			.tag("queue", "spool")
			.register(registry);
		for (Cluster cluster : Cluster.values()) {
			FunctionCounter.builder(PREFIX + "routed", router, (r) -> r.routedCount(cluster))
				.description("Events routed to each cluster by the rollout percentage")
				.tag("cluster", tag(cluster))
				.register(registry);
		}
	}

	void accepted(Priority priority, Cluster cluster, long nanos) {
		this.acceptedCounters.get(priority).increment();
		this.latencyTimers.get(priority).get(cluster).record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Counts an event written to the delay topic of a tier and acknowledged. */
	void delayed(Duration tier) {
		this.delayedCounters.computeIfAbsent(tier, this::delayedCounter).increment();
	}

	void failed(Priority priority, Cluster cluster, Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		this.failedCounters.get(priority).increment();
		this.registry
			.counter(PREFIX + "publish_failed", "priority", priority.name(), "cluster", tag(cluster), "error_type",
					cause.getClass().getSimpleName())
			.increment();
	}

	/**
	 * Counts a rejected event; the priority tag is "none" when the event had no valid
	 * one.
	 */
	void rejected(String priorityTag) {
		this.registry.counter(PREFIX + "events", "priority", priorityTag, "outcome", "rejected").increment();
	}

	private Counter delayedCounter(Duration tier) {
		return Counter.builder(PREFIX + "delayed")
			.description("Events not due yet written to a delay topic, per tier")
			.tag("tier", tier.toSeconds() + "s")
			.register(this.registry);
	}

	private static String tag(Cluster cluster) {
		return cluster.name().toLowerCase(Locale.ROOT);
	}

}
