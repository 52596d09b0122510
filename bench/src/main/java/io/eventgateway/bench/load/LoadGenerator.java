package io.eventgateway.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.json.JsonMapper;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.standalone.process.ChildJvm;

/**
 * The load generator in a JVM of its own ({@link LoadMain}), so that its CPU and its
 * garbage are not counted as the measured processes', and the benchmark's side of it: one
 * run at a time, with counters over every run so far that a sampler reads while a run is
 * in progress.
 *
 * <p>
 * Thread-safety: {@link #run} is called from one thread at a time; the counters from any.
 */
public final class LoadGenerator implements AutoCloseable {

	/** The load generator's heap. */
	public static final String HEAP = "-Xmx512m";

	private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);

	private final Process process;

	private final OutputStream commands;

	private final JsonMapper json = JsonMapper.builder().build();

	private final LoopThreads reader;

	private final Path folder;

	private final AtomicReference<CompletableFuture<LoadReport>> done = new AtomicReference<>();

	private final AtomicReference<LoadReport> latest = new AtomicReference<>();

	private volatile String running;

	private final AtomicLong finishedOffered = new AtomicLong();

	private final AtomicLong finishedAccepted = new AtomicLong();

	private final AtomicLong finishedRefused = new AtomicLong();

	private LoadGenerator(Process process, Path folder) {
		this.process = process;
		this.commands = process.getOutputStream();
		this.folder = folder;
		this.reader = new LoopThreads(List.of("load-generator-reports"), (heartbeat) -> new ReportReader(),
				LoopMonitor.standalone(Clock.systemUTC()), () -> Duration.ofDays(1), 0);
		this.reader.start();
	}

	/** Starts the load generator's JVM; it waits for runs. */
	public static LoadGenerator start() throws IOException {
		Path folder = Files.createTempDirectory("bench-load-");
		Process process = ChildJvm
			.builder(List.of(HEAP, "-XX:+DisplayVMOutputToStderr"), LoadMain.class.getName(), List.of())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		return new LoadGenerator(process, folder);
	}

	/** The load generator's process id, for its CPU time. */
	public long pid() {
		return this.process.pid();
	}

	/** Events offered over every run so far, the one in progress included. */
	public long offered() {
		LoadReport report = this.latest.get();
		return this.finishedOffered.get() + ((report != null) ? report.offered() : 0);
	}

	/** Events accepted over every run so far, the one in progress included. */
	public long accepted() {
		LoadReport report = this.latest.get();
		return this.finishedAccepted.get() + ((report != null) ? report.accepted() : 0);
	}

	/** Events refused over every run so far, the one in progress included. */
	public long refused() {
		LoadReport report = this.latest.get();
		return this.finishedRefused.get() + ((report != null) ? report.refused() : 0);
	}

	/**
	 * Open load into ingest's gRPC API: {@code rate} events per second for
	 * {@code duration}, the given shares P30 and P20 (the rest P10); returns when every
	 * event was answered.
	 */
	public LoadOutcome gateway(String runId, String ingestAddress, int rate, Duration duration, double p30Share,
			double p20Share) throws IOException, InterruptedException {
		return run(new LoadPlan(runId, LoadPlan.GATEWAY, ingestAddress, null, rate, duration.toMillis(), p30Share,
				p20Share, acceptedFile(runId)));
	}

	/**
	 * Records of {@link RawProducer}'s settings into a Kafka topic: at {@code rate} per
	 * second keyed by their intended send time (microseconds of {@link System#nanoTime}),
	 * or with rate 0 as fast as the producer takes them, keyed by sequence number.
	 */
	public LoadOutcome kafka(String runId, String bootstrapServers, String topic, int rate, Duration duration)
			throws IOException, InterruptedException {
		return run(new LoadPlan(runId, LoadPlan.KAFKA, bootstrapServers, topic, rate, duration.toMillis(), 0, 0,
				acceptedFile(runId)));
	}

	private String acceptedFile(String runId) {
		return this.folder.resolve(runId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".accepted").toString();
	}

	private synchronized LoadOutcome run(LoadPlan plan) throws IOException, InterruptedException {
		CompletableFuture<LoadReport> finished = new CompletableFuture<>();
		this.done.set(finished);
		this.running = plan.runId();
		this.commands.write((this.json.writeValueAsString(plan) + "\n").getBytes(StandardCharsets.UTF_8));
		this.commands.flush();
		LoadReport report;
		try {
			report = finished.get(plan.durationMillis() + ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The load generator did not finish run " + plan.runId(), ex);
		}
		if (report.error() != null) {
			throw new IllegalStateException("The load generator failed run " + plan.runId() + ": " + report.error());
		}
		Path accepted = Path.of(plan.acceptedFile());
		BitSet sequences = BitSet.valueOf(Files.readAllBytes(accepted));
		Files.deleteIfExists(accepted);
		return new LoadOutcome(plan, report.offered(), report.accepted(), report.refused(), report.answered(),
				report.answerSeconds(), report.sendSeconds(), sequences);
	}

	private void reported(LoadReport report) {
		if (!report.done()) {
			// A progress report written just before its run's end may arrive after it.
			if (report.runId().equals(this.running)) {
				this.latest.set(report);
			}
			return;
		}
		this.running = null;
		// Moves the finished run into the totals before forgetting its latest report, so
		// that a sampler never sees the totals go back.
		this.finishedOffered.addAndGet(report.offered());
		this.finishedAccepted.addAndGet(report.accepted());
		this.finishedRefused.addAndGet(report.refused());
		this.latest.set(null);
		CompletableFuture<LoadReport> finished = this.done.getAndSet(null);
		if (finished != null) {
			finished.complete(report);
		}
	}

	/**
	 * Ends the load generator's JVM: it exits when its standard input closes, which the
	 * report reader's stop brings about, so that its loop ends as asked.
	 */
	@Override
	public void close() throws InterruptedException {
		this.reader.stop();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	private void closeCommands() {
		try {
			this.commands.close();
		}
		catch (IOException ex) {
			// Already gone.
		}
	}

	/** Reads the generator's reports until its standard output ends. */
	private final class ReportReader implements StoppableLoop {

		@Override
		public void run() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(LoadGenerator.this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("{")) {
						reported(LoadGenerator.this.json.readValue(line, LoadReport.class));
					}
					else {
						// Whatever the JVM itself printed there.
						System.err.println("load generator: " + line);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				CompletableFuture<LoadReport> finished = LoadGenerator.this.done.getAndSet(null);
				if (finished != null) {
					finished.completeExceptionally(
							new IllegalStateException("The load generator's JVM ended (exit " + exitValue() + ")"));
				}
			}
		}

		private String exitValue() {
			return LoadGenerator.this.process.isAlive() ? "not yet"
					: String.valueOf(LoadGenerator.this.process.exitValue());
		}

		@Override
		public void stop() {
			// The generator exits at the end of its input; its output then ends too.
			closeCommands();
		}

	}

}
