package io.eventgateway.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

import io.eventgateway.bench.IngestRequests;
import io.eventgateway.client.Event;
import io.eventgateway.client.GatewayClient;
import io.eventgateway.client.SendResult;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * The load generator's own JVM: reads {@link LoadPlan}s as JSON lines on standard input,
 * runs them one at a time as open loads (events due at fixed intervals whatever the
 * answers, each carrying its intended send time) and writes {@link LoadReport}s as JSON
 * lines on standard output. It ends when its standard input closes, which happens when
 * the benchmark ends, however it ends. Everything else it would print goes to standard
 * error, so that standard output carries reports only.
 */
public final class LoadMain {

	/**
	 * How long a batch of the producer client waits for more events, the same as the raw
	 * Kafka baseline's producer linger, so that neither pays a linger the other does not.
	 */
	public static final Duration LINGER = Duration.ofMillis(5);

	/** How often a run in progress is reported. */
	static final Duration REPORT_INTERVAL = Duration.ofMillis(100);

	private static final int BATCH = 50;

	/** The size of every record sent to Kafka directly. */
	public static final int RECORD_BYTES = 512;

	private final PrintStream reports;

	private final JsonMapper json = JsonMapper.builder().build();

	private final AtomicReference<Run> current = new AtomicReference<>();

	private LoadMain(PrintStream reports) {
		this.reports = reports;
	}

	public static void main(String[] args) throws Exception {
		PrintStream reports = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		// Logging and libraries print to standard output; reports own it.
		System.setOut(System.err);
		new LoadMain(reports).serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
		System.exit(0);
	}

	private void serve(BufferedReader commands) throws Exception {
		PeriodicTask reporter = new PeriodicTask("load-reporter", () -> REPORT_INTERVAL,
				LoopMonitor.standalone(Clock.systemUTC())) {
			@Override
			protected void runOnce() {
				Run run = LoadMain.this.current.get();
				if (run != null) {
					report(run.report(false, null));
				}
			}

			@Override
			protected void failed(Throwable ex) {
				ex.printStackTrace();
			}
		};
		reporter.start();
		try {
			String line;
			while ((line = commands.readLine()) != null) {
				if (line.isBlank()) {
					continue;
				}
				LoadPlan plan = this.json.readValue(line, LoadPlan.class);
				Run run = new Run(plan);
				this.current.set(run);
				String error = null;
				try {
					if (LoadPlan.GATEWAY.equals(plan.target())) {
						run.gateway();
					}
					else {
						run.kafka();
					}
					run.writeAccepted();
				}
				catch (Exception ex) {
					ex.printStackTrace();
					error = ex.toString();
				}
				this.current.set(null);
				report(run.report(true, error));
			}
		}
		finally {
			reporter.stop();
		}
	}

	private synchronized void report(LoadReport report) {
		this.reports.println(this.json.writeValueAsString(report));
	}

	/** One plan being run: its counters and its ledger of accepted sequence numbers. */
	private static final class Run {

		private final LoadPlan plan;

		private final AtomicLong offered = new AtomicLong();

		private final AtomicLong accepted = new AtomicLong();

		private final AtomicLong refused = new AtomicLong();

		private final AtomicLong answered = new AtomicLong();

		/** When the last answer counted in {@link #answered} arrived, since start. */
		private final AtomicLong lastAnswerNanos = new AtomicLong();

		/** When the first event was due; answers are timed from it too. */
		private volatile long startNanos;

		private final BitSet acceptedSequences = new BitSet();

		private volatile double sendSeconds;

		Run(LoadPlan plan) {
			this.plan = plan;
		}

		LoadReport report(boolean done, String error) {
			return new LoadReport(this.plan.runId(), this.offered.get(), this.accepted.get(), this.refused.get(),
					this.answered.get(), this.lastAnswerNanos.get() / 1e9, this.sendSeconds, done, error);
		}

		void gateway() throws InterruptedException {
			ConcurrentLinkedQueue<CompletableFuture<?>> answers = new ConcurrentLinkedQueue<>();
			try (GatewayClient client = GatewayClient.builder()
				.target(this.plan.address())
				.usePlaintext()
				.maxEventsPerBatch(BATCH)
				.linger(LINGER)
				// One attempt: a refusal counts as one, not as a retry that hides it.
				.maxAttempts(1)
				.deadline(Duration.ofSeconds(60))
				.attemptTimeout(Duration.ofSeconds(60))
				// Open loop: sending never waits for answers.
				.maxInFlightBytes(Long.MAX_VALUE)
				.build()) {
				pace((sequence, intendedNanos) -> {
					double share = ((sequence * 7919) % 1000) / 1000.0;
					Priority priority = (share < this.plan.p30Share()) ? Priority.P30
							: (share < this.plan.p30Share() + this.plan.p20Share()) ? Priority.P20 : Priority.P10;
					Event event = Event
						.ofJson(IngestRequests.eventType(priority, "bench"), "bench",
								"{\"sent\":" + TimeUnit.NANOSECONDS.toMicros(intendedNanos) + "}")
						.withEventId(this.plan.runId() + "-" + sequence)
						.withCompanyId("company-" + (sequence % 50));
					answers
						.add(client.send(event).whenComplete((result, failure) -> answered(sequence, result, failure)));
				});
				CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
					.exceptionally((failure) -> null)
					.join();
			}
		}

		void kafka() throws InterruptedException {
			byte[] value = new byte[RECORD_BYTES];
			try (KafkaProducer<Long, byte[]> producer = RawProducer.create(this.plan.address())) {
				pace((sequence, intendedNanos) -> {
					// At a fixed rate the key is the intended send time, for latency; as
					// fast as possible it is the sequence number, for the consumer's
					// count.
					long key = (this.plan.rate() > 0) ? TimeUnit.NANOSECONDS.toMicros(intendedNanos) : sequence;
					producer.send(new ProducerRecord<>(this.plan.topic(), key, value), (metadata, exception) -> {
						if (exception == null) {
							markAnswered();
							markAccepted(sequence);
						}
						else {
							this.refused.incrementAndGet();
						}
					});
				});
				producer.flush();
			}
		}

		private void answered(long sequence, SendResult result, Throwable failure) {
			if (LoadOutcome.receivedByIngest(result)) {
				markAnswered();
			}
			if (result != null && result.isAccepted()) {
				markAccepted(sequence);
			}
			else {
				this.refused.incrementAndGet();
			}
		}

		private void markAnswered() {
			this.answered.incrementAndGet();
			long at = System.nanoTime() - this.startNanos;
			this.lastAnswerNanos.accumulateAndGet(at, Math::max);
		}

		private void markAccepted(long sequence) {
			synchronized (this.acceptedSequences) {
				this.acceptedSequences.set((int) sequence);
			}
			this.accepted.incrementAndGet();
		}

		/**
		 * Hands every event over when it is due: at fixed intervals, catching up when a
		 * hand-over took longer than an interval; or back to back when the rate is 0.
		 */
		private void pace(Sender sender) throws InterruptedException {
			long start = System.nanoTime();
			this.startNanos = start;
			long durationNanos = TimeUnit.MILLISECONDS.toNanos(this.plan.durationMillis());
			long next = 0;
			if (this.plan.rate() == 0) {
				while (System.nanoTime() - start < durationNanos) {
					sender.send(next, System.nanoTime());
					next++;
					this.offered.incrementAndGet();
				}
			}
			else {
				long total = this.plan.total();
				long intervalNanos = 1_000_000_000L / this.plan.rate();
				while (next < total) {
					long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
					for (; next < due; next++) {
						sender.send(next, start + next * intervalNanos);
						this.offered.incrementAndGet();
					}
					if (next < total) {
						TimeUnit.MILLISECONDS.sleep(1);
					}
				}
			}
			this.sendSeconds = (System.nanoTime() - start) / 1e9;
		}

		void writeAccepted() throws IOException {
			byte[] bytes;
			synchronized (this.acceptedSequences) {
				bytes = this.acceptedSequences.toByteArray();
			}
			Files.write(Path.of(this.plan.acceptedFile()), bytes);
		}

	}

	/** Hands one event over. */
	@FunctionalInterface
	private interface Sender {

		void send(long sequence, long intendedNanos);

	}

}
