package io.eventgateway.bench.chaos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.FlowControlSignal;
import io.eventgateway.proto.v1.PriorityLevel;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

/**
 * Records the gateway did not write, put straight onto the topics it reads while the load
 * runs: what another producer, a replayed backup or a mistyped topic name leaves there.
 * Each is keyed {@code foreign-<n>}, so that a dead letter made of it can be told apart,
 * and remembered by where it landed.
 */
final class ForeignRecords {

	/** Big enough to break a reader that copies headers into a small buffer. */
	private static final int OVERSIZED_HEADER_BYTES = 64 * 1024;

	private final Random random = new Random(13);

	private final TopicLayout topics;

	private int count;

	ForeignRecords(TopicLayout topics) {
		this.topics = topics;
	}

	/**
	 * Writes every kind of foreign record to every topic the gateway reads, one kind to
	 * every topic in turn, spread evenly over {@code spread}.
	 * @return what was written and where
	 */
	List<Written> write(String bootstrapServers, Duration spread) throws InterruptedException {
		List<Planned> plan = plan();
		List<Written> written = new ArrayList<>(plan.size());
		long pauseNanos = spread.toNanos() / plan.size();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024),
				new StringSerializer(), new ByteArraySerializer())) {
			for (Planned planned : plan) {
				int partitions = producer.partitionsFor(planned.topic()).size();
				// Responses partition i belongs to orchestrator replica i: the chaos run
				// has
				// replica 0 only.
				int partition = planned.topic().equals(this.topics.responses()) ? 0 : written.size() % partitions;
				ProducerRecord<String, byte[]> record = new ProducerRecord<>(planned.topic(), partition, planned.key(),
						planned.kind().value());
				planned.kind().headers().forEach((name, value) -> record.headers().add(name, value));
				RecordMetadata metadata;
				try {
					metadata = producer.send(record).get(30, TimeUnit.SECONDS);
				}
				catch (ExecutionException | TimeoutException ex) {
					throw new IllegalStateException("could not write foreign record " + planned.key() + " ("
							+ planned.kind().name() + ") to " + planned.topic(), ex);
				}
				written.add(new Written(planned.key(), planned.kind().name(),
						new DeadLetters.Origin(metadata.topic(), metadata.partition(), metadata.offset()),
						planned.source()));
				// The harness paces its own fault: the records land between valid events.
				TimeUnit.NANOSECONDS.sleep(pauseNanos);
			}
		}
		return written;
	}

	private List<Planned> plan() {
		List<String> sources = new ArrayList<>(this.topics.priorityTopics());
		sources.add(this.topics.offload());
		sources.add(this.topics.retry(1));
		List<Planned> plan = new ArrayList<>();
		for (int round = 0;; round++) {
			boolean any = false;
			for (String topic : sources) {
				List<Kind> kinds = sourceKinds(topic.equals(this.topics.retry(1)));
				if (round < kinds.size()) {
					plan.add(new Planned(topic, true, kinds.get(round), nextKey()));
					any = true;
				}
			}
			for (String topic : List.of(this.topics.responses(), this.topics.flowControl())) {
				List<Kind> kinds = readerKinds(topic.equals(this.topics.responses()));
				if (round < kinds.size()) {
					plan.add(new Planned(topic, false, kinds.get(round), nextKey()));
					any = true;
				}
			}
			if (!any) {
				return plan;
			}
		}
	}

	private String nextKey() {
		return "foreign-" + this.count++;
	}

	/**
	 * What a source topic (priority, offload, retry) gets; each must be dead-lettered.
	 */
	private List<Kind> sourceKinds(boolean retryTopic) {
		String id = "foreign-event-" + this.count;
		List<Kind> kinds = new ArrayList<>(List.of(new Kind("tombstone", null), new Kind("empty value", new byte[0]),
				new Kind("random bytes", randomBytes(64)),
				new Kind("a FlowControlSignal",
						FlowControlSignal.newBuilder()
							.setKind(FlowControlSignal.Kind.DECREASE)
							.setReason("foreign")
							.build()
							.toByteArray()),
				new Kind("a TaskResponse", taskResponse(id)),
				new Kind("an event of unknown priority level 7",
						event(id).setPriorityLevelValue(7).build().toByteArray()),
				new Kind("an event without event_id", event(id).clearEventId().build().toByteArray()),
				new Kind("an event without slo_deadline", event(id).clearSloDeadline().build().toByteArray()),
				new Kind("an event whose slo_deadline is beyond Instant",
						event(id).setSloDeadline(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))
							.build()
							.toByteArray()),
				new Kind("random bytes with a 64 KB header", randomBytes(64),
						Map.of("foreign-padding", new byte[OVERSIZED_HEADER_BYTES]))));
		if (retryTopic) {
			// Both are not events, so each must end in the dead-letter topic: the verdict
			// stays one rule. The far-future one also proves the orchestrator does not
			// hold
			// the partition (and every retry behind it) until the year 3000.
			kinds.add(new Kind("random bytes with a 3-byte not-before header", randomBytes(64),
					Map.of(GatewayHeaders.NOT_BEFORE, new byte[] { 1, 2, 3 })));
			long year3000 = ZonedDateTime.of(3000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
			kinds.add(new Kind("random bytes not before the year 3000", randomBytes(64),
					Map.of(GatewayHeaders.NOT_BEFORE, ByteBuffer.allocate(Long.BYTES).putLong(year3000).array())));
		}
		return kinds;
	}

	/** What the responses and flow-control topics get: nothing there may stop a role. */
	private List<Kind> readerKinds(boolean responses) {
		String id = "foreign-event-" + this.count;
		return List.of(new Kind("tombstone", null), new Kind("empty value", new byte[0]),
				new Kind("random bytes", randomBytes(64)),
				responses ? new Kind("an Event", event(id).build().toByteArray())
						: new Kind("a TaskResponse", taskResponse(id)),
				responses ? new Kind("an answer to an unknown lease", taskResponse(id))
						: new Kind("random bytes with a 64 KB header", randomBytes(64),
								Map.of("foreign-padding", new byte[OVERSIZED_HEADER_BYTES])));
	}

	private static Event.Builder event(String id) {
		Instant now = Instant.now();
		return Event.newBuilder()
			.setEventId(id)
			.setCompanyId("foreign")
			.setSourceName("foreign")
			.setEventType("bulk.foreign")
			.setPriorityLevel(PriorityLevel.P10)
			.setIngestedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
			.setSloDeadline(Timestamp.newBuilder().setSeconds(now.plus(Duration.ofMinutes(20)).getEpochSecond()))
			.setRawPayload(ByteString.copyFrom("{\"foreign\":true}", StandardCharsets.UTF_8));
	}

	private static byte[] taskResponse(String id) {
		return TaskResponse.newBuilder()
			.setLeaseId("foreign-lease")
			.setWorkerId("foreign")
			.addOutcomes(TaskOutcome.newBuilder().setEventId(id).setVerdict(TaskOutcome.Verdict.ACK))
			.build()
			.toByteArray();
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * One kind of foreign record.
	 *
	 * @param name what it is, for reports
	 * @param value its value; {@code null} for a tombstone
	 * @param headers its headers
	 */
	private record Kind(String name, byte[] value, Map<String, byte[]> headers) {

		Kind(String name, byte[] value) {
			this(name, value, Map.of());
		}

	}

	private record Planned(String topic, boolean source, Kind kind, String key) {
	}

	/**
	 * One foreign record written.
	 *
	 * @param key its key
	 * @param kind what it is
	 * @param at where it landed
	 * @param source whether a source consumer reads it (then it must be dead-lettered)
	 */
	record Written(String key, String kind, DeadLetters.Origin at, boolean source) {
	}

}
