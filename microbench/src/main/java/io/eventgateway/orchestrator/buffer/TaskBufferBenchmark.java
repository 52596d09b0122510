package io.eventgateway.orchestrator.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.eventgateway.common.event.Priority;
import io.eventgateway.proto.v1.Event;

/**
 * The orchestrator's buffer under contention, shaped like the orchestrator: two threads
 * add batches as source consumers do after a poll, two take batches as FetchTasks calls
 * do, waiting briefly when it is empty. The buffer holds a steady backlog of
 * {@link #backlog} tasks: adders wait for room as intake pauses on a full buffer, so the
 * queue neither drains nor grows without bound.
 *
 * <p>
 * Read the {@code tasksAdded} and {@code tasksTaken} counters (tasks per second), not the
 * per-call score: a call that found no room or no task moved nothing. Other thread
 * counts: JMH's {@code -tg adders,takers}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Group)
public class TaskBufferBenchmark {

	/**
	 * The longest a call waits for room or for a task, so every thread ends its
	 * iteration.
	 */
	private static final long WAIT_MILLIS = 10;

	private static final long MAX_TAKE_BYTES = 4L * 1024 * 1024;

	/** Tasks queued in the steady state. */
	@Param("10000")
	public int backlog;

	/** Tasks per add (a poll's worth) and the most per take (a FetchTasks answer). */
	@Param("50")
	public int batch;

	private TaskBuffer buffer;

	private Semaphore room;

	@Setup(Level.Iteration)
	public void fill() {
		this.buffer = new TaskBuffer();
		this.buffer.addAll(Tasks.batch(new SplittableRandom(-1), Instant.now(), this.backlog));
		this.room = new Semaphore(0);
	}

	@TearDown(Level.Iteration)
	public void close() {
		this.buffer.close();
	}

	@Benchmark
	@Group("handOff")
	@GroupThreads(2)
	public void add(Adder adder, Moved moved) throws InterruptedException {
		List<BufferedTask> tasks = adder.next();
		if (this.room.tryAcquire(tasks.size(), WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
			this.buffer.addAll(tasks);
			moved.tasksAdded += tasks.size();
		}
	}

	@Benchmark
	@Group("handOff")
	@GroupThreads(2)
	public List<BufferedTask> take(Moved moved) throws InterruptedException {
		List<BufferedTask> taken = this.buffer.take(this.batch, MAX_TAKE_BYTES, Duration.ofMillis(WAIT_MILLIS));
		this.room.release(taken.size());
		moved.tasksTaken += taken.size();
		return taken;
	}

	/** Buffer size now; for checking the fixture. */
	int size() {
		return this.buffer.size();
	}

	/**
	 * One adding thread's batches, built before measuring so that only the buffer is
	 * measured, and reused in turn.
	 */
	@State(Scope.Thread)
	public static class Adder {

		private static final int BATCHES = 64;

		private final List<List<BufferedTask>> batches = new ArrayList<>();

		private int next;

		@Setup(Level.Trial)
		public void build(TaskBufferBenchmark benchmark) {
			SplittableRandom random = new SplittableRandom();
			Instant start = Instant.now();
			for (int i = 0; i < BATCHES; i++) {
				this.batches.add(Tasks.batch(random, start.plusMillis(i), benchmark.batch));
			}
		}

		List<BufferedTask> next() {
			List<BufferedTask> tasks = this.batches.get(this.next);
			this.next = (this.next + 1) % this.batches.size();
			return tasks;
		}

	}

	/** Tasks each thread moved: the figures to read. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Moved {

		public long tasksAdded;

		public long tasksTaken;

		@Setup(Level.Iteration)
		public void reset() {
			this.tasksAdded = 0;
			this.tasksTaken = 0;
		}

	}

	/**
	 * Tasks in the mix the bench's load sends (10% P30, 30% P20, 60% P10), each with its
	 * priority's deadline, so that adds land all over the queue as they do in service.
	 */
	static final class Tasks {

		private static final ByteString PAYLOAD = ByteString.copyFrom(new byte[512]);

		private static final Position POSITION = new Position("events.p30", 0, 0);

		private Tasks() {
		}

		static List<BufferedTask> batch(SplittableRandom random, Instant ingestedAt, int size) {
			List<BufferedTask> tasks = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				int draw = random.nextInt(10);
				Priority priority = (draw == 0) ? Priority.P30 : (draw < 4) ? Priority.P20 : Priority.P10;
				Instant ingested = ingestedAt.plusNanos(random.nextInt(1_000_000));
				Event event = Event.newBuilder()
					.setEventId("evt-" + i)
					.setPriorityLevel(priority.toProto())
					.setIngestedAt(timestamp(ingested))
					.setSloDeadline(timestamp(priority.deadlineFor(ingested)))
					.setRawPayload(PAYLOAD)
					.build();
				tasks.add(BufferedTask.of(event, POSITION));
			}
			return tasks;
		}

		private static Timestamp timestamp(Instant instant) {
			return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
		}

	}

}
