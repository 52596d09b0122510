package io.eventgateway.orchestrator.intake;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;

import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.memory.MemoryGate;
import io.eventgateway.orchestrator.memory.MemoryLedger;

/**
 * One source of the orchestrator (a priority topic, the offload topic, the retry topics)
 * as the operator sees it: whether it reads, why not, and how far each of its partitions
 * is.
 *
 * <p>
 * Written by the source's consumer thread, read by the actuator endpoint and the meters.
 */
public final class SourceState {

	private final String name;

	private final MemoryGate memoryGate;

	private final BooleanSupplier extraCondition;

	private final MemoryLedger memory;

	private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();

	private volatile boolean paused;

	private volatile boolean extraConditionHeld = true;

	private volatile int heldPartitions;

	private volatile Standing standing = Standing.SERVING;

	/**
	 * @param name the source name, for example {@code p10} or {@code retry}
	 * @param memoryGate closes when the source's memory is above its threshold
	 * @param extraCondition must also hold for the source to read (offload: the buffer
	 * has room; retry: the retry consumer is enabled)
	 * @param memory where the bytes of records the source read but has not handed on yet
	 * are charged, under the source's name (its memory gate must count them)
	 */
	public SourceState(String name, MemoryGate memoryGate, BooleanSupplier extraCondition, MemoryLedger memory) {
		this.name = name;
		this.memoryGate = memoryGate;
		this.extraCondition = extraCondition;
		this.memory = memory;
	}

	/** The source name. */
	public String name() {
		return this.name;
	}

	/** The memory gate of this source. */
	public MemoryGate memoryGate() {
		return this.memoryGate;
	}

	/**
	 * Re-evaluates whether the source may read now; both conditions are always evaluated.
	 */
	boolean mayRead() {
		boolean memory = this.memoryGate.check();
		boolean extra = this.extraCondition.getAsBoolean();
		this.extraConditionHeld = extra;
		this.paused = !(memory && extra);
		return !this.paused;
	}

	/**
	 * Whether records already read may be handed on, as of the last {@link #mayRead()}:
	 * the source's own condition held, whatever its memory gate says. Handing on what
	 * waits moves its bytes from the source's read-ahead to the buffer and adds none;
	 * holding it back while the memory gate is closed could keep the gate closed for
	 * good, since those bytes count against it.
	 */
	boolean mayHandOn() {
		return this.extraConditionHeld;
	}

	/** The bytes of records waiting to be handed on changed. */
	void waiting(long deltaBytes) {
		this.memory.waiting(this.name, deltaBytes);
	}

	/** Bytes of records this source read that wait to be handed on. */
	public long waitingBytes() {
		return this.memory.waitingBytes(this.name);
	}

	/**
	 * Whether every partition of the source is paused now (memory, offload or switched
	 * off).
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * The orchestrator's standing as of this source's last iteration: unless
	 * {@link Standing#SERVING}, it owns no partitions and reads nothing.
	 */
	public Standing standing() {
		return this.standing;
	}

	void standing(Standing standing) {
		this.standing = standing;
	}

	/** Partitions held back until their head retry record is due. */
	public int heldPartitions() {
		return this.heldPartitions;
	}

	void heldPartitions(int count) {
		this.heldPartitions = count;
	}

	void progress(TopicPartition partition, long committed, long endOffset, long lag) {
		this.partitions.put(partition, new PartitionProgress(committed, endOffset, lag));
	}

	void forget(TopicPartition partition) {
		this.partitions.remove(partition);
	}

	/** Committed offset and lag of each owned partition, as of the last poll. */
	public Map<TopicPartition, PartitionProgress> partitions() {
		return Map.copyOf(this.partitions);
	}

	/**
	 * How far a partition is.
	 *
	 * @param committed the last committed offset (-1 before the first commit)
	 * @param endOffset the end of the partition as of the last fetch (-1 when not known
	 * yet)
	 * @param lag records between the consumer's position and the end of the partition (-1
	 * when not known yet)
	 */
	public record PartitionProgress(long committed, long endOffset, long lag) {
	}

}
