package io.eventgateway.common.autoconfigure;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayCommonAutoConfigurationIT {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, GatewayCommonAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());

	@Test
	void createsEveryGatewayTopicWithTheConfiguredPartitions() {
		this.contextRunner.withPropertyValues("gateway.topics.prefix=created", "gateway.topics.partitions=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TopicLayout layout = context.getBean(TopicLayout.class);
				Map<String, TopicDescription> topics = describe(layout);
				assertThat(topics).containsOnlyKeys(layout.all());
				assertThat(topics.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(3));
			});
	}

	@Test
	void createsNothingWhenTopicCreationIsOff() {
		this.contextRunner.withPropertyValues("gateway.topics.prefix=managed", "gateway.topics.create=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (Admin admin = admin()) {
					assertThat(admin.listTopics().names().get()).noneMatch((name) -> name.startsWith("managed."));
				}
			});
	}

	@Test
	void rejectsAZeroPartitionCount() {
		this.contextRunner.withPropertyValues("gateway.topics.partitions=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.topics.partitions"));
	}

	private static Map<String, TopicDescription> describe(TopicLayout layout) throws Exception {
		try (Admin admin = admin()) {
			return admin.describeTopics(layout.all()).allTopicNames().get();
		}
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

}
