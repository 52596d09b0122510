package io.eventgateway.publisher.failure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The spool's meters: {@code gateway.publisher.spool.replayer}, 1 while this instance
 * replays the spool (always, for a spool of its own; only while it holds the replay lock,
 * for a shared one), {@code gateway.publisher.spool.replayed}, the events it replayed,
 * and, for a directory spool, {@code gateway.publisher.spool.abandoned-writes}, the
 * unfinished writes it found and deleted at start (a crash between write and rename); and
 * the backlog, {@code gateway.publisher.spool.records} and
 * {@code gateway.publisher.spool.oldest.age} (see {@link SpoolBacklog}).
 */
public class SpoolMeters implements MeterBinder {

	private final EventSpool spool;

	private final SpoolReplayer replayer;

	private final SpoolBacklog backlog;

	public SpoolMeters(EventSpool spool, SpoolReplayer replayer, SpoolBacklog backlog) {
		this.spool = spool;
		this.replayer = replayer;
		this.backlog = backlog;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("gateway.publisher.spool.replayer", this.replayer, (replayer) -> replayer.isReplayer() ? 1 : 0)
			.description("1 while this instance replays the spool; of instances sharing one, exactly one shows 1")
			.register(registry);
		FunctionCounter.builder("gateway.publisher.spool.replayed", this.replayer, SpoolReplayer::replayedCount)
			.description("Spooled events this instance replayed into the primary cluster")
			.register(registry);
		Gauge.builder("gateway.publisher.spool.records", this.backlog, SpoolBacklog::records)
			.description("Events waiting in the spool (NaN while unknown)")
			.register(registry);
		Gauge.builder("gateway.publisher.spool.oldest.age", this.backlog, SpoolBacklog::oldestAgeSeconds)
			.description("Seconds since the oldest spooled event was written (0 when empty, NaN while unknown)")
			.baseUnit("seconds")
			.register(registry);
		if (this.spool instanceof DirectorySpool directory) {
			FunctionCounter
				.builder("gateway.publisher.spool.abandoned-writes", directory, DirectorySpool::abandonedWriteCount)
				.description("Unfinished spool writes found and deleted at start; never acknowledged")
				.register(registry);
		}
	}

}
