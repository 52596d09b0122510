package io.eventgateway.ingest.flow;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventgateway.proto.v1.FlowControlSignal;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Feeds the orchestrators' signals on {@code events.flow-control} to the SLO service.
 * Every ingest instance reads every signal, from the orchestrators of every fleet (each
 * fleet sends to this cluster): each runs in a consumer group of its own and starts at
 * the newest signal, since old signals say nothing about the pipeline now. A signal's
 * source is its fleet and replica ({@link SignalSource}).
 *
 * <p>
 * A record costs only itself: one that is not a signal of a known kind is skipped, logged
 * once at WARN by its position (never its content) and counted; a signal whose handling
 * fails is logged at ERROR and counted, and the rest of the batch is still applied.
 * Called on the listener container's thread.
 */
public class FlowControlListener {

	/**
	 * How long a DECREASE holds off other sources' INCREASEs: two of the orchestrators'
	 * default signal intervals (5s), so a source at risk that keeps signalling is always
	 * inside it.
	 */
	static final Duration AT_RISK_WINDOW = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(FlowControlListener.class);

	private final SloService slo;

	private final Consumer<String> undecodable;

	private final Consumer<String> failed;

	private final FlowSignalSources sources;

	/**
	 * @param slo where signals go
	 * @param undecodable told the topic of each record skipped as not a usable signal
	 * @param failed told the topic of each signal whose handling failed
	 */
	public FlowControlListener(SloService slo, Consumer<String> undecodable, Consumer<String> failed) {
		this(slo, new FlowSignalSources(Clock.systemUTC()), undecodable, failed);
	}

	/**
	 * @param slo where signals go
	 * @param sources keeps the last signal of each source, named by fleet and replica
	 * @param undecodable told the topic of each record skipped as not a usable signal
	 * @param failed told the topic of each signal whose handling failed
	 */
	public FlowControlListener(SloService slo, FlowSignalSources sources, Consumer<String> undecodable,
			Consumer<String> failed) {
		this.sources = sources;
		this.slo = slo;
		this.undecodable = undecodable;
		this.failed = failed;
	}

	@KafkaListener(id = "gateway-flow-control", topics = "#{@topicLayout.flowControl()}",
			groupId = "${gateway.ingest.flow-control.group-id-prefix:event-gateway-ingest-flow}-${random.uuid}",
			autoStartup = "${gateway.ingest.flow-control.enabled:true}", batch = "true",
			properties = { "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
					"value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
					"auto.offset.reset=latest", "enable.auto.commit=false" })
	void onSignals(List<ConsumerRecord<String, byte[]>> records) {
		for (ConsumerRecord<String, byte[]> record : records) {
			FlowControlSignal signal = decode(record);
			if (signal == null) {
				continue;
			}
			try {
				apply(signal);
			}
			catch (RuntimeException ex) {
				this.failed.accept(record.topic());
				logger.error("Could not apply the flow-control signal at " + where(record)
						+ "; going on with the rest of the batch", ex);
			}
		}
	}

	void apply(FlowControlSignal signal) {
		// The source is the fleet and the replica: replica 0 of two fleets are two
		// sources.
		this.sources.record(signal);
		switch (signal.getKind()) {
			case DECREASE -> {
				this.slo.decrease();
				logger.info("P10 admission rate decreased to " + Math.round(this.slo.rate()) + "/s (orchestrator "
						+ SignalSource.of(signal) + ": " + signal.getReason() + ")");
			}
			case INCREASE -> {
				// Raise only when no orchestrator is at risk: the rate is one for all
				// sources, and the one at risk decides.
				if (!this.sources.anotherAtRisk(SignalSource.of(signal), AT_RISK_WINDOW)) {
					this.slo.increase();
				}
			}
			// decode() lets only the kinds above through.
			default -> throw new IllegalStateException("unexpected signal kind " + signal.getKind());
		}
	}

	/** The signal in the record, or {@code null} (logged and counted) when unusable. */
	private FlowControlSignal decode(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return skip(record, "no value (tombstone)");
		}
		FlowControlSignal signal;
		try {
			signal = FlowControlSignal.parseFrom(record.value());
		}
		catch (InvalidProtocolBufferException ex) {
			return skip(record, "not a FlowControlSignal: " + ex.getMessage());
		}
		// An empty or foreign record may parse with no kind, or one this version does not
		// know.
		if (signal.getKind() != FlowControlSignal.Kind.DECREASE
				&& signal.getKind() != FlowControlSignal.Kind.INCREASE) {
			return skip(record, "unknown kind " + signal.getKind());
		}
		return signal;
	}

	private FlowControlSignal skip(ConsumerRecord<String, byte[]> record, String reason) {
		this.undecodable.accept(record.topic());
		logger.warn("Ignoring undecodable flow-control signal at " + where(record) + ": " + reason);
		return null;
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

}
