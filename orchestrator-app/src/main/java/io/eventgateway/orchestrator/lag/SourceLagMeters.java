package io.eventgateway.orchestrator.lag;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag probe's meters, one pair per partition probed:
 * {@code gateway.orchestrator.source.lag} (records) and
 * {@code gateway.orchestrator.source.oldest.age} (seconds), tagged {@code topic} and
 * {@code partition}; and the probe's own health:
 * {@code gateway.orchestrator.source.lag.probe.staleness} (seconds since the last round
 * that measured every partition's lag, or since start) and
 * {@code gateway.orchestrator.source.lag.probe.unread} (oldest records a round needed but
 * did not read, by {@code reason}: {@code budget} or {@code failed}).
 *
 * <p>
 * The age is computed when read, from the oldest unfinished record's timestamp, so it
 * keeps rising between rounds and while rounds fail. Once the probe has
 * {@linkplain #unknown() given up} on its figures (rounds keep failing) every lag and age
 * reads NaN until the next round succeeds: a replica whose probe is blind must not win
 * the {@code max by (topic, partition)} the alerts take with stale figures. A partition
 * no longer found loses its meters rather than keeping its last values.
 *
 * <p>
 * Thread-safe: the probe's thread updates, scrapes read.
 */
public class SourceLagMeters {

	private final MeterRegistry registry;

	private final Clock clock;

	private final Map<TopicPartition, Probed> partitions = new ConcurrentHashMap<>();

	private final Counter unreadForBudget;

	private final Counter unreadForFailure;

	private volatile long measuredAtMillis;

	private volatile boolean unknown;

	/**
	 * @param registry where the meters go
	 * @param clock the time source for ages and staleness; staleness counts from now
	 * until the first round succeeds
	 */
	public SourceLagMeters(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
		this.measuredAtMillis = clock.millis();
		Gauge.builder("gateway.orchestrator.source.lag.probe.staleness", this, SourceLagMeters::stalenessSeconds)
			.description("Seconds since the lag probe last measured the lag of every partition (since start when it"
					+ " never did)")
			.baseUnit("seconds")
			.register(registry);
		this.unreadForBudget = unread(registry, "budget");
		this.unreadForFailure = unread(registry, "failed");
	}

	private static Counter unread(MeterRegistry registry, String reason) {
		return Counter.builder("gateway.orchestrator.source.lag.probe.unread")
			.description("Oldest unfinished records a lag probe round needed but did not read: beyond its read budget"
					+ " (budget) or refused by the cluster (failed); their ages stand on an older record until read")
			.tag("reason", reason)
			.register(registry);
	}

	/**
	 * Records one round that measured every partition's lag: every partition found, with
	 * what was learned of it. Partitions of earlier rounds that are missing lose their
	 * meters; figures given up on return.
	 */
	public void update(Map<TopicPartition, PartitionLag> round) {
		round.forEach((partition, lag) -> {
			Probed probed = this.partitions.get(partition);
			if (probed != null) {
				probed.last = lag;
			}
			else {
				this.partitions.put(partition, register(partition, lag));
			}
		});
		for (TopicPartition known : List.copyOf(this.partitions.keySet())) {
			if (!round.containsKey(known)) {
				Probed gone = this.partitions.remove(known);
				this.registry.remove(gone.lag);
				this.registry.remove(gone.age);
			}
		}
		this.measuredAtMillis = this.clock.millis();
		this.unknown = false;
	}

	/**
	 * The probe gave up on its figures: every lag and age reads NaN until the next
	 * {@link #update}.
	 */
	public void unknown() {
		this.unknown = true;
	}

	/** Counts oldest records a round needed but did not read. */
	public void unread(int beyondBudget, int failed) {
		this.unreadForBudget.increment(beyondBudget);
		this.unreadForFailure.increment(failed);
	}

	/** The last reading of a partition, or {@code null} when it is not probed. */
	public PartitionLag last(TopicPartition partition) {
		Probed probed = this.partitions.get(partition);
		return (probed != null) ? probed.last : null;
	}

	/** Seconds since the last round that measured every partition's lag (or start). */
	public double stalenessSeconds() {
		return Math.max(0, this.clock.millis() - this.measuredAtMillis) / 1000.0;
	}

	private double lag(Probed probed) {
		return this.unknown ? Double.NaN : probed.last.lag();
	}

	private double age(Probed probed) {
		return this.unknown ? Double.NaN : probed.last.oldestAgeSeconds(this.clock.millis());
	}

	private Probed register(TopicPartition partition, PartitionLag first) {
		Probed probed = new Probed(first);
		String number = Integer.toString(partition.partition());
		probed.lag = Gauge.builder("gateway.orchestrator.source.lag", probed, this::lag)
			.description("Records of the partition the orchestrator's consumer group has not finished (end offset"
					+ " minus committed offset; NaN when unknown)")
			.baseUnit("records")
			.tag("topic", partition.topic())
			.tag("partition", number)
			.register(this.registry);
		probed.age = Gauge.builder("gateway.orchestrator.source.oldest.age", probed, this::age)
			.description("Seconds since the oldest record the consumer group has not finished was written (0 when"
					+ " none; NaN when unknown)")
			.baseUnit("seconds")
			.tag("topic", partition.topic())
			.tag("partition", number)
			.register(this.registry);
		return probed;
	}

	/** One partition's meters and last reading. */
	private static final class Probed {

		volatile PartitionLag last;

		Gauge lag;

		Gauge age;

		Probed(PartitionLag first) {
			this.last = first;
		}

	}

}
