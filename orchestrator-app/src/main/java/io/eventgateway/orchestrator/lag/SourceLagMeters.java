package io.eventgateway.orchestrator.lag;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag probe's meters, one pair per partition probed:
 * {@code gateway.orchestrator.source.lag} (records) and
 * {@code gateway.orchestrator.source.oldest.age} (seconds), tagged {@code topic} and
 * {@code partition}. The age is computed when read, from the oldest unfinished record's
 * timestamp, so it keeps rising between rounds and while rounds fail. A partition no
 * longer found loses its meters rather than keeping its last values.
 *
 * <p>
 * Thread-safe: the probe's thread updates, scrapes read.
 */
public class SourceLagMeters {

	private final MeterRegistry registry;

	private final Clock clock;

	private final Map<TopicPartition, Probed> partitions = new ConcurrentHashMap<>();

	public SourceLagMeters(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
	}

	/**
	 * Records one round: every partition found, with what was learned of it. Partitions
	 * of earlier rounds that are missing lose their meters.
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
	}

	/** The last reading of a partition, or {@code null} when it is not probed. */
	public PartitionLag last(TopicPartition partition) {
		Probed probed = this.partitions.get(partition);
		return (probed != null) ? probed.last : null;
	}

	private Probed register(TopicPartition partition, PartitionLag first) {
		Probed probed = new Probed(first);
		String number = Integer.toString(partition.partition());
		probed.lag = Gauge.builder("gateway.orchestrator.source.lag", probed, (p) -> p.last.lag())
			.description("Records of the partition the orchestrator's consumer group has not finished (end offset"
					+ " minus committed offset)")
			.baseUnit("records")
			.tag("topic", partition.topic())
			.tag("partition", number)
			.register(this.registry);
		probed.age = Gauge
			.builder("gateway.orchestrator.source.oldest.age", probed,
					(p) -> p.last.oldestAgeSeconds(this.clock.millis()))
			.description("Seconds since the oldest record the consumer group has not finished was written (0 when"
					+ " none; NaN when it could not be read)")
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
