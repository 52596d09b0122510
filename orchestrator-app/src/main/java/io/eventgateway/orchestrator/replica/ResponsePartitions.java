package io.eventgateway.orchestrator.replica;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import org.springframework.context.SmartLifecycle;

/**
 * Makes sure, before this replica reads its answers, that the responses topic has a
 * partition for every replica: replica {@code i} reads partition {@code i}, so with fewer
 * partitions than replicas the last replicas would lease tasks whose answers can never
 * reach them. When the gateway creates its topics it adds the missing partitions;
 * otherwise the replica refuses to start, naming the settings.
 *
 * <p>
 * Starts in the earliest lifecycle phase: after Spring Kafka's admin has created missing
 * topics, before any listener or source consumer runs. Called once, on the thread that
 * starts the context.
 */
public class ResponsePartitions implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ResponsePartitions.class);

	/**
	 * Between two looks at a topic that was just created and is not yet known everywhere.
	 */
	private static final Duration RETRY_AFTER = Duration.ofMillis(250);

	private final Supplier<Admin> admins;

	private final String topic;

	private final ReplicaIdentity replica;

	private final boolean mayExtend;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * @param admins opens an admin client of the cluster the answers go to
	 * @param topic the responses topic
	 * @param replica this replica, and how many there are
	 * @param mayExtend whether missing partitions are added
	 * ({@code gateway.topics.create})
	 * @param timeout how long the cluster may take to answer, in all
	 */
	public ResponsePartitions(Supplier<Admin> admins, String topic, ReplicaIdentity replica, boolean mayExtend,
			Duration timeout) {
		this.admins = admins;
		this.topic = topic;
		this.replica = replica;
		this.mayExtend = mayExtend;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		ensure();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

	/**
	 * Checks the partitions of the responses topic, adding missing ones when allowed.
	 * @throws IllegalStateException naming the settings, when the topic is missing or too
	 * small and may not be extended, or the cluster does not answer in time
	 */
	public void ensure() {
		int wanted = this.replica.numberOfReplicas();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try (Admin admin = this.admins.get()) {
			int partitions = partitions(admin, deadline);
			if (partitions >= wanted) {
				return;
			}
			if (!this.mayExtend) {
				throw new IllegalStateException(this.topic + " has " + partitions
						+ " partitions, fewer than gateway.orchestrator.number-of-replicas (" + wanted
						+ "): replica i reads partition i, so replicas " + partitions + " and above would never"
						+ " get their answers. Add partitions to the topic (at least " + wanted
						+ "), or turn gateway.topics.create on so the orchestrator adds them; gateway.topics.partitions"
						+ " sets the partitions of the topics the gateway creates");
			}
			extend(admin, partitions, wanted, deadline);
		}
	}

	private void extend(Admin admin, int partitions, int wanted, long deadline) {
		try {
			admin.createPartitions(Map.of(this.topic, NewPartitions.increaseTo(wanted)))
				.all()
				.get(remaining(deadline), TimeUnit.NANOSECONDS);
			logger.info("Extended " + this.topic + " from " + partitions + " to " + wanted
					+ " partitions, one per orchestrator replica (gateway.orchestrator.number-of-replicas)");
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof InvalidPartitionsException)) {
				throw failure("could not add partitions to " + this.topic, ex.getCause());
			}
			// Another replica extended it first; what counts is that it now suffices.
			int now = partitions(admin, deadline);
			if (now < wanted) {
				throw failure(this.topic + " has " + now + " partitions and could not be extended to " + wanted,
						ex.getCause());
			}
		}
		catch (TimeoutException ex) {
			throw failure("the cluster did not add partitions to " + this.topic + " in time", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure("interrupted while adding partitions to " + this.topic, ex);
		}
	}

	private int partitions(Admin admin, long deadline) {
		while (true) {
			try {
				return admin.describeTopics(List.of(this.topic))
					.allTopicNames()
					.get(remaining(deadline), TimeUnit.NANOSECONDS)
					.get(this.topic)
					.partitions()
					.size();
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw failure("could not describe " + this.topic, ex.getCause());
				}
				// A topic the admin just created may not be known to every broker yet.
				if (remaining(deadline) <= RETRY_AFTER.toNanos()) {
					throw new IllegalStateException(this.topic + " does not exist" + (this.mayExtend
							? " although gateway.topics.create is on: creating it at startup failed (see the log)"
							: ": create it with at least " + this.replica.numberOfReplicas()
									+ " partitions (gateway.orchestrator.number-of-replicas), or turn"
									+ " gateway.topics.create on"));
				}
				pause();
			}
			catch (TimeoutException ex) {
				throw failure("the cluster did not describe " + this.topic + " in time", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failure("interrupted while describing " + this.topic, ex);
			}
		}
	}

	private IllegalStateException failure(String what, Throwable cause) {
		return new IllegalStateException("Cannot check that " + this.topic + " has a partition for each of the "
				+ this.replica.numberOfReplicas() + " orchestrator replicas: " + what, cause);
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private static void pause() {
		try {
			Thread.sleep(RETRY_AFTER.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a topic to appear", ex);
		}
	}

}
