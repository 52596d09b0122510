package io.eventgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

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

	String bootstrapServers() {
		return this.process.bootstrapServers();
	}

	void createTopic(String name, int partitions) throws InterruptedException, ExecutionException {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.close();
	}

}
