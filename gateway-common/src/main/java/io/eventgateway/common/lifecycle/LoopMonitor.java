package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every long-running loop of a role and how it fares: the source of the {@code loops}
 * health contributor, which turns liveness DOWN when a loop is dead or has made no
 * progress for longer than its stall limit.
 *
 * <p>
 * Thread-safe: loops register and report from their own threads; health and meters read
 * from any thread.
 */
public final class LoopMonitor {

	private final Clock clock;

	private final Consumer<LoopHeartbeat> onRegister;

	private final Map<String, LoopHeartbeat> loops = new ConcurrentHashMap<>();

	/**
	 * @param clock the time source for progress stamps
	 * @param onRegister told of each newly registered loop (meters are bound there)
	 */
	public LoopMonitor(Clock clock, Consumer<LoopHeartbeat> onRegister) {
		this.clock = clock;
		this.onRegister = onRegister;
	}

	/** A monitor that binds no meters, for tests and plain-Java use. */
	public static LoopMonitor standalone(Clock clock) {
		return new LoopMonitor(clock, (heartbeat) -> {
		});
	}

	/**
	 * Registers a loop, or returns the heartbeat already registered under that name (a
	 * loop started again after a stop keeps its counters).
	 * @param name the loop's name, usually its thread name
	 * @param stallAfter the longest a healthy loop may go without progress, read at every
	 * check (it may follow a hot setting)
	 * @return the heartbeat the loop reports through
	 */
	public LoopHeartbeat register(String name, Supplier<Duration> stallAfter) {
		return register(name, stallAfter, true);
	}

	/**
	 * Registers a loop that reports no progress of its own but is watched from outside (a
	 * listener container's consumer): it is stalled only while reported
	 * {@linkplain LoopHeartbeat#unresponsive() unresponsive}, and dead once ended without
	 * a stop request.
	 * @param name the loop's name
	 * @param stallAfter how long an unresponsive report keeps it stalled
	 * @return the heartbeat
	 */
	public LoopHeartbeat registerWatched(String name, Supplier<Duration> stallAfter) {
		return register(name, stallAfter, false);
	}

	private LoopHeartbeat register(String name, Supplier<Duration> stallAfter, boolean judgedByTime) {
		return this.loops.computeIfAbsent(name, (key) -> {
			LoopHeartbeat heartbeat = new LoopHeartbeat(key, this.clock, stallAfter, judgedByTime);
			this.onRegister.accept(heartbeat);
			return heartbeat;
		});
	}

	/** Every registered loop, by name. */
	public List<LoopHeartbeat> loops() {
		return this.loops.values().stream().sorted(Comparator.comparing(LoopHeartbeat::name)).toList();
	}

	/** The loops that are dead or stalled now. */
	public List<LoopHeartbeat> unhealthy() {
		return loops().stream().filter((loop) -> !loop.state().healthy()).toList();
	}

}
