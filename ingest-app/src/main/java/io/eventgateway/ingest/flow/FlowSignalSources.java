package io.eventgateway.ingest.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.FlowControlSignal;

/**
 * The last signal heard from each orchestrator replica of each fleet, for the operator:
 * which sources speak, what they said and when. A source not heard from for
 * {@link #FORGET_AFTER} is forgotten, so replicas scaled away and fleets retired drop
 * out.
 *
 * <p>
 * Thread-safe: the listener container's thread records, the actuator endpoint reads.
 */
public class FlowSignalSources {

	/** How long a silent source is still shown. */
	static final Duration FORGET_AFTER = Duration.ofMinutes(10);

	private final Clock clock;

	private final Map<SignalSource, LastSignal> last = new ConcurrentHashMap<>();

	public FlowSignalSources(Clock clock) {
		this.clock = clock;
	}

	/** Records a signal as its source's latest. */
	public void record(FlowControlSignal signal) {
		Instant now = this.clock.instant();
		this.last.put(SignalSource.of(signal),
				new LastSignal(signal.getKind().name(), signal.getReason(),
						(signal.hasSentAt() && ProtoTime.isValid(signal.getSentAt()))
								? ProtoTime.instant(signal.getSentAt()) : null,
						now));
		this.last.values().removeIf((seen) -> seen.receivedAt().isBefore(now.minus(FORGET_AFTER)));
	}

	/**
	 * Whether a source other than {@code except} said DECREASE as its latest signal
	 * within {@code within}: an idle replica (a rollout fleet at 0 %, say) keeps saying
	 * INCREASE, which must not cancel the back-pressure of one at risk.
	 */
	public boolean anotherAtRisk(SignalSource except, Duration within) {
		Instant since = this.clock.instant().minus(within);
		return this.last.entrySet()
			.stream()
			.anyMatch((entry) -> !entry.getKey().equals(except) && "DECREASE".equals(entry.getValue().kind())
					&& !entry.getValue().receivedAt().isBefore(since));
	}

	/** The latest signal of every source heard from lately, by {@code fleet/replica}. */
	public Map<String, LastSignal> bySource() {
		Map<String, LastSignal> sources = new TreeMap<>();
		this.last.forEach((source, signal) -> sources.put(source.toString(), signal));
		return sources;
	}

	/**
	 * A source's latest signal.
	 *
	 * @param kind DECREASE or INCREASE
	 * @param reason why, as the orchestrator said
	 * @param sentAt when the orchestrator sent it, when it said
	 * @param receivedAt when this instance read it
	 */
	public record LastSignal(String kind, String reason, Instant sentAt, Instant receivedAt) {
	}

}
