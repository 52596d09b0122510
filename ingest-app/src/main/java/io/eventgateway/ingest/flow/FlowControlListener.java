package io.eventgateway.ingest.flow;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventgateway.proto.v1.FlowControlSignal;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Feeds the orchestrators' signals on {@code events.flow-control} to the SLO service.
 * Every ingest instance reads every signal: each runs in a consumer group of its own and
 * starts at the newest signal, since old signals say nothing about the pipeline now.
 */
public class FlowControlListener {

	private static final Log logger = LogFactory.getLog(FlowControlListener.class);

	private final SloService slo;

	public FlowControlListener(SloService slo) {
		this.slo = slo;
	}

	@KafkaListener(id = "gateway-flow-control", topics = "#{@topicLayout.flowControl()}",
			groupId = "${gateway.ingest.flow-control.group-id-prefix:event-gateway-ingest-flow}-${random.uuid}",
			autoStartup = "${gateway.ingest.flow-control.enabled:true}", batch = "true",
			properties = { "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
					"value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
					"auto.offset.reset=latest", "enable.auto.commit=false" })
	void onSignals(List<ConsumerRecord<String, byte[]>> records) {
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				apply(FlowControlSignal.parseFrom(record.value()));
			}
			catch (InvalidProtocolBufferException | NullPointerException ex) {
				logger.warn("Ignoring undecodable flow-control signal at " + record.topic() + "-" + record.partition()
						+ "@" + record.offset() + ": " + ex.getMessage());
			}
		}
	}

	void apply(FlowControlSignal signal) {
		switch (signal.getKind()) {
			case DECREASE -> {
				this.slo.decrease();
				logger.info("P10 admission rate decreased to " + Math.round(this.slo.rate()) + "/s (replica "
						+ signal.getReplica() + ": " + signal.getReason() + ")");
			}
			case INCREASE -> this.slo.increase();
			default -> logger.warn("Ignoring flow-control signal of kind " + signal.getKind());
		}
	}

}
