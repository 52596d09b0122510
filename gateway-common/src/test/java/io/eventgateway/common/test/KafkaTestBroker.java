package io.eventgateway.common.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft) shared by every test in a JVM.
 *
 * <p>
 * Where a Docker engine answers, the broker is a Testcontainers {@link KafkaContainer};
 * elsewhere (CI here has no Docker) it is Spring Kafka's in-JVM KRaft broker. Tests see
 * the same thing either way: a bootstrap address on loopback. Set
 * {@code -Dgateway.test.kafka=embedded} to skip the Docker check. The broker stops when
 * the JVM exits.
 *
 * <p>
 * Thread-safe: the broker starts once, on first use, under the class-holder idiom.
 */
public final class KafkaTestBroker {

	private static final String KAFKA_IMAGE = "apache/kafka-native:4.1.2";

	private KafkaTestBroker() {
	}

	/** The bootstrap address of the shared broker, starting it on first use. */
	public static String bootstrapServers() {
		return Holder.BOOTSTRAP_SERVERS;
	}

	private static String start() {
		if (!"embedded".equals(System.getProperty("gateway.test.kafka")) && dockerAvailable()) {
			KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-test-broker-stop"));
			return container.getBootstrapServers();
		}
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.afterPropertiesSet();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "kafka-test-broker-stop"));
		return broker.getBrokersAsString();
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static final class Holder {

		static final String BOOTSTRAP_SERVERS = start();

	}

}
