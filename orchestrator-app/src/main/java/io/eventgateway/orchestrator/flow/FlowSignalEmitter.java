package io.eventgateway.orchestrator.flow;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.config.OrchestratorProperties;
import io.eventgateway.proto.v1.FlowControlSignal;

/**
 * Sends one AIMD signal per interval to the flow-control topic, on its own thread. The
 * interval and threshold are read at every tick, so they follow a refresh (a new interval
 * applies from the next tick).
 */
public class FlowSignalEmitter extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(FlowSignalEmitter.class);

	private final FlowSignalSender sender;

	private final String fleet;

	private final int replica;

	private final BooleanSupplier serving;

	private final TaskBuffer buffer;

	private final BooleanSupplier p10Paused;

	private final Supplier<OrchestratorProperties.FlowControl> settings;

	private final Clock clock;

	private final AtomicLong decreases = new AtomicLong();

	private final AtomicLong increases = new AtomicLong();

	/**
	 * @param sender where signals go
	 * @param fleet this orchestrator's fleet, which with the replica names the source of
	 * each signal
	 * @param replica this replica's index
	 * @param serving whether the orchestrator takes work now; while not (its fleet on
	 * standby, or fenced) it sends nothing, since its sources say nothing about the
	 * pipeline then
	 * @param buffer the buffered tasks
	 * @param p10Paused whether the P10 source is paused
	 * @param settings the flow-control settings, read at every tick
	 * @param clock the time source
	 * @param monitor where the emitter reports its runs
	 */
	public FlowSignalEmitter(FlowSignalSender sender, String fleet, int replica, BooleanSupplier serving,
			TaskBuffer buffer, BooleanSupplier p10Paused, Supplier<OrchestratorProperties.FlowControl> settings,
			Clock clock, LoopMonitor monitor) {
		super("flow-control-signals", () -> settings.get().interval(), monitor);
		this.sender = sender;
		this.fleet = fleet;
		this.replica = replica;
		this.serving = serving;
		this.buffer = buffer;
		this.p10Paused = p10Paused;
		this.settings = settings;
		this.clock = clock;
	}

	/** DECREASE signals sent since start. */
	public long decreases() {
		return this.decreases.get();
	}

	/** INCREASE signals sent since start. */
	public long increases() {
		return this.increases.get();
	}

	@Override
	protected void runOnce() {
		OrchestratorProperties.FlowControl current = this.settings.get();
		if (current.enabled() && this.serving.getAsBoolean()) {
			send(current);
		}
	}

	private void send(OrchestratorProperties.FlowControl current) {
		Instant now = this.clock.instant();
		FlowSignalPolicy.Decision decision = FlowSignalPolicy.decide(now, this.buffer.earliestDeadline(Priority.P10),
				this.p10Paused.getAsBoolean(), current.p10SlackThreshold());
		FlowControlSignal signal = FlowControlSignal.newBuilder()
			.setKind(decision.kind())
			.setReplica(this.replica)
			.setFleet(this.fleet)
			.setReason(decision.reason())
			.setSentAt(ProtoTime.timestamp(now))
			.build();
		// Keyed by the source, so that the signals of one replica stay in order.
		this.sender.send(this.fleet + "/" + this.replica, signal.toByteArray());
		if (decision.kind() == FlowControlSignal.Kind.DECREASE) {
			this.decreases.incrementAndGet();
			logger.info("Sent DECREASE (" + decision.reason() + ")");
		}
		else {
			this.increases.incrementAndGet();
		}
	}

}
