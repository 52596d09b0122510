package io.eventgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.eventgateway.standalone.broker.KafkaBrokerProcess;

/** A fresh real KRaft broker in a child process, one per scenario. */
final class BenchBroker implements AutoCloseable {

	private final KafkaBrokerProcess process;

	private BenchBroker(KafkaBrokerProcess process) {
		this.process = process;
	}

	static BenchBroker start() throws IOException, InterruptedException {
		return new BenchBroker(
				KafkaBrokerProcess.start(Files.createTempDirectory("bench-kafka-"), KafkaBrokerProcess.freePortPair()));
	}

	/** The broker's process id, for its CPU time. */
	long pid() {
		return this.process.pid();
	}

	String bootstrapServers() {
		return this.process.bootstrapServers();
	}

	/** Creates a topic and returns once every partition has a leader to write to. */
	void createTopic(String name, int partitions) throws InterruptedException, ExecutionException {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!led(admin, name, partitions)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("partitions of " + name + " have no leader after 60 s");
				}
				TimeUnit.MILLISECONDS.sleep(200);
			}
		}
	}

	private static boolean led(Admin admin, String topic, int partitions)
			throws InterruptedException, ExecutionException {
		TopicDescription description;
		try {
			description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				// Creation returns before the broker's metadata cache knows the topic.
				return false;
			}
			throw ex;
		}
		return description.partitions().size() == partitions
				&& description.partitions().stream().allMatch((partition) -> partition.leader() != null);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.close();
	}

}
