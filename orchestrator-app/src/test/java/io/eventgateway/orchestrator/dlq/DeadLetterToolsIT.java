package io.eventgateway.orchestrator.dlq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.dlq.RedriveOutcome.Status;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The dead-letter tools against a real broker: each test gets a topic layout of its own,
 * with dead letters written as the orchestrator writes them.
 */
class DeadLetterToolsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	/**
	 * Recent: the topics' retention would delete records stamped long ago, even from the
	 * active segment.
	 */
	private static final Instant T0 = Instant.now()
		.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
		.minusSeconds(3600);

	private TopicLayout topics;

	private Admin admin;

	private Producer<String, byte[]> producer;

	private final AtomicInteger redrivenMeter = new AtomicInteger();

	@BeforeEach
	void createTopics() throws Exception {
		this.topics = new TopicLayout("dlq-it-" + System.nanoTime(), 2);
		this.admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
		List<NewTopic> created = new ArrayList<>();
		for (String name : this.topics.all()) {
			created.add(new NewTopic(name, name.equals(this.topics.dlq()) ? 2 : 1, (short) 1));
		}
		this.admin.createTopics(created).all().get();
		// Every partition led before the test writes: a new topic's leaders come a moment
		// after its creation, and until then the broker may not know the topic at all.
		await().atMost(TIMEOUT)
			.ignoreExceptions()
			.until(() -> this.admin.describeTopics(this.topics.all())
				.allTopicNames()
				.get()
				.values()
				.stream()
				.flatMap((topic) -> topic.partitions().stream())
				.allMatch((partition) -> partition.leader() != null && !partition.leader().isEmpty()));
		this.producer = producer();
	}

	@AfterEach
	void close() {
		this.producer.close();
		this.admin.close();
	}

	@Test
	void listsEveryLetterWithItsOriginAttemptsAndError() {
		deadLetter(0, event("e1", "acme", "order.created", Priority.P30), this.topics.priority(Priority.P30), 3,
				"boom: downstream 503", T0);
		deadLetter(1, event("e2", "globex", "order.paid", Priority.P10), this.topics.priority(Priority.P10), 2,
				"timeout", T0.plusSeconds(60));
		foreign(0, T0.plusSeconds(120));

		List<DeadLetter> letters = tools().reader().list(DeadLetterFilter.all());

		assertThat(letters).extracting(DeadLetter::eventId).containsExactly("e1", "e2", null);
		DeadLetter first = letters.get(0);
		assertThat(first.id()).isEqualTo("0:0");
		assertThat(first.companyId()).isEqualTo("acme");
		assertThat(first.eventType()).isEqualTo("order.created");
		assertThat(first.priority()).isEqualTo(Priority.P30);
		assertThat(first.originTopic()).isEqualTo(this.topics.priority(Priority.P30));
		assertThat(first.originPartition()).isZero();
		assertThat(first.originOffset()).isEqualTo(41);
		assertThat(first.attempts()).isEqualTo(3);
		assertThat(first.error()).isEqualTo("boom: downstream 503");
		assertThat(first.deadLetteredAt()).isEqualTo(T0);
		assertThat(letters.get(2).isEvent()).isFalse();
		assertThat(letters.get(2).error()).startsWith("not a gateway event");
	}

	@Test
	void filtersByTypeCompanyErrorTimeAndLimit() {
		deadLetter(0, event("e1", "acme", "order.created", Priority.P30), this.topics.priority(Priority.P30), 3,
				"Downstream 503", T0);
		deadLetter(1, event("e2", "acme", "order.paid", Priority.P20), this.topics.priority(Priority.P20), 3, "timeout",
				T0.plusSeconds(60));
		deadLetter(0, event("e3", "globex", "order.created", Priority.P10), this.topics.priority(Priority.P10), 3,
				"downstream 500", T0.plusSeconds(120));
		DeadLetterReader reader = tools().reader();
		assertThat(ids(reader, DeadLetterFilter.all())).containsExactly("e1", "e2", "e3");

		assertThat(ids(reader, new DeadLetterFilter("ORDER.CREATED", null, null, null, null, 10))).containsExactly("e1",
				"e3");
		assertThat(ids(reader, new DeadLetterFilter(null, "acme", null, null, null, 10))).containsExactly("e1", "e2");
		assertThat(ids(reader, new DeadLetterFilter(null, null, "downstream 50", null, null, 10))).containsExactly("e1",
				"e3");
		assertThat(ids(reader, new DeadLetterFilter(null, null, null, T0.plusSeconds(60), null, 10)))
			.containsExactly("e2", "e3");
		assertThat(ids(reader, new DeadLetterFilter(null, null, null, null, T0.plusSeconds(60), 10)))
			.containsExactly("e1");
		assertThat(ids(reader, new DeadLetterFilter(null, null, null, null, null, 2))).containsExactly("e1", "e2");
		assertThatIllegalArgumentException().isThrownBy(() -> new DeadLetterFilter(null, null, null, null, null, 0))
			.withMessageContaining("limit");
	}

	@Test
	void showsOneLetterByPositionOrEveryLetterOfAnEvent() {
		deadLetter(0, event("e1", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "a", T0);
		deadLetter(1, event("e2", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "b", T0);
		deadLetter(1, event("e1", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "c", T0);
		// An event whose id looks like the position of another letter.
		deadLetter(1, event("0:0", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "d", T0);
		DeadLetterReader reader = tools().reader();

		assertThat(reader.show(positions("1:0"))).singleElement().extracting(DeadLetter::eventId).isEqualTo("e2");
		assertThat(reader.show(events("e1"))).extracting(DeadLetter::id).containsExactly("0:0", "1:1");
		assertThat(reader.show(positions("1:7"))).isEmpty();
		assertThat(reader.show(positions("0:0"))).singleElement().extracting(DeadLetter::eventId).isEqualTo("e1");
		assertThat(reader.show(events("0:0"))).singleElement().extracting(DeadLetter::id).isEqualTo("1:2");
	}

	@Test
	void aDryRunReportsWhatWouldBeRedrivenAndWritesNothing() throws Exception {
		deadLetter(0, event("e1", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "a", T0);

		RedriveReport report = tools().redriver().redrive(DeadLetterFilter.all(), true);

		assertThat(report.dryRun()).isTrue();
		assertThat(report.outcomes()).singleElement().satisfies((outcome) -> {
			assertThat(outcome.status()).isEqualTo(Status.WOULD_REDRIVE);
			assertThat(outcome.target()).isEqualTo(this.topics.priority(Priority.P30));
		});
		assertThat(endOffset(this.topics.priority(Priority.P30))).isZero();
		assertThat(topicNames()).doesNotContain(ledgerTopic());
		assertThat(this.redrivenMeter).hasValue(0);
	}

	@Test
	void aRedrivenLetterGoesToItsPriorityTopicWithAttemptsResetAndNeverAgain() {
		deadLetter(0, event("e1", "acme", "t", Priority.P30).toBuilder().setAttempt(3).build(),
				this.topics.priority(Priority.P30), 3, "a", T0);
		// Foreign-looking origin: a retry topic of a level the layout no longer has; the
		// event's priority decides.
		deadLetter(1, event("e2", "acme", "t", Priority.P10).toBuilder().setAttempt(3).build(),
				this.topics.prefix() + ".retry.9", 3, "b", T0.plusSeconds(1));
		Instant before = Instant.now();

		RedriveReport first = tools().redriver().redrive(DeadLetterFilter.all(), false);

		assertThat(first.outcomes()).extracting(RedriveOutcome::status).containsOnly(Status.REDRIVEN);
		assertThat(first.outcomes()).extracting(RedriveOutcome::target)
			.containsExactly(this.topics.priority(Priority.P30), this.topics.priority(Priority.P10));
		ConsumerRecord<String, byte[]> redriven = read(this.topics.priority(Priority.P30)).get(0);
		Event event = parse(redriven.value());
		assertThat(event.getEventId()).isEqualTo("e1");
		assertThat(event.getAttempt()).isZero();
		// A new deadline, as ingest would stamp now: not the one from before it failed.
		assertThat(ProtoTime.instant(event.getSloDeadline())).isAfterOrEqualTo(Priority.P30.deadlineFor(before));
		assertThat(redriven.key()).isEqualTo("acme");
		assertThat(redriven.headers().lastHeader(GatewayHeaders.ATTEMPTS)).isNull();
		assertThat(redriven.headers().lastHeader(GatewayHeaders.ORIGINAL_TOPIC)).isNull();
		// The ordering headers say what the value says.
		assertThat(GatewayHeaders.getString(redriven.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("e1");
		assertThat(GatewayHeaders.getLong(redriven.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(30);
		assertThat(GatewayHeaders.getEpochNanos(redriven.headers(), GatewayHeaders.SLO_DEADLINE))
			.isEqualTo(ProtoTime.instant(event.getSloDeadline()));
		assertThat(GatewayHeaders.getEpochNanos(redriven.headers(), GatewayHeaders.INGESTED_AT))
			.isEqualTo(ProtoTime.instant(event.getIngestedAt()));
		assertThat(GatewayHeaders.getString(redriven.headers(), DeadLetterRedriver.REDRIVEN_FROM))
			.isEqualTo(this.topics.dlq() + ":0:0");
		assertThat(parse(read(this.topics.priority(Priority.P10)).get(0).value()).getEventId()).isEqualTo("e2");
		assertThat(this.redrivenMeter).hasValue(2);

		// Again from the same tools, then from a second instance (as another process
		// would): no second effect.
		Tools tools = tools();
		RedriveReport again = tools.redriver().redrive(DeadLetterFilter.all(), false);
		RedriveReport elsewhere = tools().redriver().redrive(LetterRefs.of(List.of("0:0"), List.of("e2")), false);

		assertThat(again.outcomes()).extracting(RedriveOutcome::status).containsOnly(Status.ALREADY_REDRIVEN);
		assertThat(elsewhere.outcomes()).extracting(RedriveOutcome::status).containsOnly(Status.ALREADY_REDRIVEN);
		assertThat(tools().redriver().redrive(DeadLetterFilter.all(), true).outcomes())
			.extracting(RedriveOutcome::status)
			.containsOnly(Status.ALREADY_REDRIVEN);
		assertThat(endOffset(this.topics.priority(Priority.P30))).isEqualTo(1);
		assertThat(endOffset(this.topics.priority(Priority.P10))).isEqualTo(1);
		assertThat(this.redrivenMeter).hasValue(2);
	}

	@Test
	void twoRunsAtOnceRedriveEachLetterOnce() {
		for (int i = 0; i < 10; i++) {
			deadLetter(i % 2, event("e" + i, "acme", "t", Priority.P20), this.topics.priority(Priority.P20), 3, "a",
					T0.plusSeconds(i));
		}
		DeadLetterRedriver one = tools().redriver();
		DeadLetterRedriver other = tools().redriver();

		CompletableFuture<RedriveReport> a = CompletableFuture
			.supplyAsync(() -> one.redrive(DeadLetterFilter.all(), false));
		CompletableFuture<RedriveReport> b = CompletableFuture
			.supplyAsync(() -> other.redrive(DeadLetterFilter.all(), false));

		long redriven = a.join().count(Status.REDRIVEN) + b.join().count(Status.REDRIVEN);
		assertThat(redriven).isEqualTo(10);
		assertThat(endOffset(this.topics.priority(Priority.P20))).isEqualTo(10);
	}

	@Test
	void aLetterWhoseTopicNoLongerExistsFailsClearlyWhileTheOthersGo() throws Exception {
		deadLetter(0, event("gone", "acme", "t", Priority.P20), this.topics.priority(Priority.P20), 3, "a", T0);
		deadLetter(1, event("kept", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "b", T0);
		this.admin.deleteTopics(List.of(this.topics.priority(Priority.P20))).all().get();
		await().atMost(TIMEOUT).until(() -> !topicNames().contains(this.topics.priority(Priority.P20)));

		RedriveReport report = tools().redriver().redrive(DeadLetterFilter.all(), false);

		assertThat(report.succeeded()).isFalse();
		assertThat(report.outcomes()).filteredOn((outcome) -> "gone".equals(outcome.letter().eventId()))
			.singleElement()
			.satisfies((outcome) -> {
				assertThat(outcome.status()).isEqualTo(Status.FAILED);
				assertThat(outcome.detail()).contains(this.topics.priority(Priority.P20)).contains("no longer exists");
			});
		assertThat(report.outcomes()).filteredOn((outcome) -> "kept".equals(outcome.letter().eventId()))
			.singleElement()
			.extracting(RedriveOutcome::status)
			.isEqualTo(Status.REDRIVEN);
		assertThat(topicNames()).doesNotContain(this.topics.priority(Priority.P20));
		// Nothing recorded for it either: once the topic is back, it can still go.
		assertThat(tools().redriver().redrive(events("gone"), true).outcomes()).singleElement()
			.extracting(RedriveOutcome::status)
			.isEqualTo(Status.FAILED);
	}

	@Test
	void anEventDeadLetteredTwiceIsRedrivenOnceFromItsNewestLetter() {
		deadLetter(0, event("twice", "acme", "t", Priority.P20), this.topics.priority(Priority.P20), 3, "a", T0);
		deadLetter(1, event("twice", "acme", "t", Priority.P20), this.topics.priority(Priority.P20), 3, "b",
				T0.plusSeconds(5));

		RedriveReport report = tools().redriver().redrive(events("twice"), false);

		assertThat(report.outcomes()).extracting((outcome) -> outcome.letter().id() + " " + outcome.status())
			.containsExactly("0:0 DUPLICATE", "1:0 REDRIVEN");
		assertThat(report.succeeded()).isTrue();
		assertThat(endOffset(this.topics.priority(Priority.P20))).isEqualTo(1);
	}

	@Test
	void aWriteRefusedReleasesTheClaimSoALaterRunRedrivesIt() throws Exception {
		String target = this.topics.priority(Priority.P30);
		Event big = event("big", "acme", "t", Priority.P30).toBuilder()
			.setRawPayload(com.google.protobuf.ByteString.copyFrom(new byte[4096]))
			.build();
		deadLetter(0, big, target, 3, "a", T0);
		// The target refuses records that large for good: a definite failure.
		alterTopic(target, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024");

		RedriveReport refused = tools().redriver().redrive(events("big"), false);

		assertThat(refused.outcomes()).singleElement().satisfies((outcome) -> {
			assertThat(outcome.status()).isEqualTo(Status.FAILED);
			assertThat(outcome.detail()).contains("nothing written").contains("released");
		});
		alterTopic(target, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588");
		assertThat(tools().redriver().redrive(events("big"), false).outcomes()).singleElement()
			.extracting(RedriveOutcome::status)
			.isEqualTo(Status.REDRIVEN);
		assertThat(endOffset(target)).isEqualTo(1);
	}

	@Test
	void aClaimLeftByACrashedRunHoldsTheLetterUntilAnOperatorReleasesIt() {
		deadLetter(0, event("stuck", "acme", "t", Priority.P30), this.topics.priority(Priority.P30), 3, "a", T0);
		Tools tools = tools();
		RedriveLedger ledger = ledger();
		ledger.ensureTopic();
		DeadLetter letter = tools.reader().show(events("stuck")).get(0);
		send(ledger.marker(letter, "crashed-run", RedriveLedger.State.CLAIMED, this.topics.priority(Priority.P30), null,
				T0));

		assertThat(tools.redriver().redrive(events("stuck"), false).outcomes()).singleElement().satisfies((outcome) -> {
			assertThat(outcome.status()).isEqualTo(Status.ALREADY_REDRIVEN);
			assertThat(outcome.detail()).contains("CLAIMED").contains("crashed-run");
		});
		assertThat(tools.redriver().release(List.of("0:0"))).containsEntry("0:0",
				"released the claim of run crashed-run");
		assertThat(tools.redriver().redrive(events("stuck"), false).outcomes()).singleElement()
			.extracting(RedriveOutcome::status)
			.isEqualTo(Status.REDRIVEN);
		assertThat(tools.redriver().release(List.of("0:0")).get("0:0")).startsWith("redriven by run");
	}

	@Test
	void markersFoldIntoTheLettersState() {
		RedriveLedger.Marker claimed = RedriveLedger.fold(null, "a", RedriveLedger.State.CLAIMED);
		assertThat(claimed).isEqualTo(new RedriveLedger.Marker("a", RedriveLedger.State.CLAIMED));
		// Another run's claim or release changes nothing; its own release frees it.
		assertThat(RedriveLedger.fold(claimed, "b", RedriveLedger.State.CLAIMED)).isEqualTo(claimed);
		assertThat(RedriveLedger.fold(claimed, "b", RedriveLedger.State.RELEASED)).isEqualTo(claimed);
		assertThat(RedriveLedger.fold(claimed, "a", RedriveLedger.State.RELEASED)).isNull();
		RedriveLedger.Marker redriven = RedriveLedger.fold(claimed, "a", RedriveLedger.State.REDRIVEN);
		assertThat(RedriveLedger.fold(redriven, "a", RedriveLedger.State.RELEASED)).isEqualTo(redriven);
		assertThat(RedriveLedger.fold(null, "a", RedriveLedger.State.RELEASED)).isNull();
		// Compaction keeps only the confirmation of a redriven letter.
		assertThat(RedriveLedger.fold(null, "a", RedriveLedger.State.REDRIVEN)).isEqualTo(redriven);
	}

	private void alterTopic(String topic, String name, String value) throws Exception {
		org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
				org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
		this.admin.incrementalAlterConfigs(Map.of(resource,
				List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
						new org.apache.kafka.clients.admin.ConfigEntry(name, value),
						org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
			.all()
			.get();
		await().atMost(TIMEOUT)
			.until(() -> value
				.equals(this.admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name).value()));
	}

	private static LetterRefs positions(String... positions) {
		return LetterRefs.of(List.of(positions), List.of());
	}

	private static LetterRefs events(String... eventIds) {
		return LetterRefs.of(List.of(), List.of(eventIds));
	}

	private record Tools(DeadLetterReader reader, DeadLetterRedriver redriver) {

	}

	/** A fresh set of tools, with clients of its own, as a second process would have. */
	private Tools tools() {
		String bootstrap = KafkaTestBroker.bootstrapServers();
		DeadLetterReader reader = new DeadLetterReader(DeadLetterToolsIT::consumer, this.topics.dlq(), TIMEOUT);
		RedriveLedger ledger = ledger();
		DeadLetterRedriver redriver = new DeadLetterRedriver(reader, ledger, DeadLetterToolsIT::producer,
				() -> Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)), this.topics,
				Clock.systemUTC(), this.redrivenMeter::addAndGet, TIMEOUT);
		return new Tools(reader, redriver);
	}

	private RedriveLedger ledger() {
		NewTopic ledgerTopic = new NewTopic(ledgerTopic(), 1, (short) 1)
			.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
		return new RedriveLedger(DeadLetterToolsIT::consumer,
				() -> Admin
					.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers())),
				ledgerTopic, true, TIMEOUT);
	}

	private String ledgerTopic() {
		return this.topics.dlq() + ".redriven";
	}

	private static Event event(String id, String company, String type, Priority priority) {
		return TestEvents.event(id, company, priority).toBuilder().setEventType(type).build();
	}

	/** A dead letter as the orchestrator's failure router writes it. */
	private void deadLetter(int partition, Event event, String origin, long attempts, String error, Instant at) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topics.dlq(), partition, at.toEpochMilli(),
				event.getCompanyId(), event.toByteArray());
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC, origin);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ORIGINAL_PARTITION, 0);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, 41);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ATTEMPTS, attempts);
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ERROR, error);
		send(record);
	}

	/** A record of a source topic that was not a gateway event, dead-lettered. */
	private void foreign(int partition, Instant at) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topics.dlq(), partition, at.toEpochMilli(),
				null, "hello".getBytes());
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC, this.topics.priority(Priority.P30));
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ATTEMPTS, 0);
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ERROR, "not a gateway event: not an event");
		send(record);
	}

	private void send(ProducerRecord<String, byte[]> record) {
		try {
			this.producer.send(record).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> ids(DeadLetterReader reader, DeadLetterFilter filter) {
		return reader.list(filter).stream().map(DeadLetter::eventId).toList();
	}

	private java.util.Set<String> topicNames() throws Exception {
		return this.admin.listTopics().names().get();
	}

	private long endOffset(String topic) {
		try (Consumer<String, byte[]> consumer = consumer()) {
			return consumer.endOffsets(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)), TIMEOUT)
				.values()
				.iterator()
				.next();
		}
	}

	private List<ConsumerRecord<String, byte[]>> read(String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (Consumer<String, byte[]> consumer = consumer()) {
			BoundedTopicScan.scan(consumer, topic, TIMEOUT, records::add);
		}
		return records;
	}

	private static Event parse(byte[] value) {
		try {
			return Event.parseFrom(value);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Consumer<String, byte[]> consumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
				new StringDeserializer(), new ByteArrayDeserializer());
	}

	private static Producer<String, byte[]> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
	}

}
