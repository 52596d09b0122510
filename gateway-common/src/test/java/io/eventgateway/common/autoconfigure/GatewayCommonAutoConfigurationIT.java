package io.eventgateway.common.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GatewayCommonAutoConfigurationIT {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, GatewayCommonAutoConfiguration.class))
		.withPropertyValues("gateway.role=test-role",
				"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());

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
	void createdTopicsKeepRecordsForTheConfiguredRetention() {
		this.contextRunner.withPropertyValues("gateway.topics.prefix=retained", "gateway.topics.retention=3d")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(retentionMs(context.getBean(TopicLayout.class).all()))
					.containsOnlyKeys(context.getBean(TopicLayout.class).all())
					.allSatisfy((topic, retention) -> assertThat(retention)
						.isEqualTo(String.valueOf(Duration.ofDays(3).toMillis())));
			});
	}

	@Test
	void createdTopicsKeepRecordsForAWeekByDefault() {
		this.contextRunner.withPropertyValues("gateway.topics.prefix=week").run((context) -> {
			assertThat(context).hasNotFailed();
			String p30 = context.getBean(TopicLayout.class).priority(Priority.P30);
			assertThat(retentionMs(List.of(p30))).containsEntry(p30, String.valueOf(Duration.ofDays(7).toMillis()));
		});
	}

	@Test
	void createdTopicsCarryTheConfiguredReplication() {
		// One broker: replication factor 1, but min.insync.replicas is still set on the
		// topic rather than left to the broker's default.
		this.contextRunner
			.withPropertyValues("gateway.topics.prefix=replicated", "gateway.topics.replication-factor=1",
					"gateway.topics.min-insync-replicas=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TopicLayout layout = context.getBean(TopicLayout.class);
				assertThat(describe(layout).values()).allSatisfy((topic) -> assertThat(topic.partitions())
					.allSatisfy((partition) -> assertThat(partition.replicas()).hasSize(1)));
				assertThat(configs(layout.all(), TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG))
					.containsOnlyKeys(layout.all())
					.allSatisfy((topic, entry) -> {
						assertThat(entry.value()).isEqualTo("1");
						assertThat(entry.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
					});
			});
	}

	@Test
	void rejectsMoreInsyncReplicasThanReplicas() {
		this.contextRunner
			.withPropertyValues("gateway.topics.replication-factor=2", "gateway.topics.min-insync-replicas=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.topics.min-insync-replicas (3)")
				.hasMessageContaining("gateway.topics.replication-factor (2)"));
	}

	@Test
	void rejectsARetentionThatIsNotPositive() {
		this.contextRunner.withPropertyValues("gateway.topics.retention=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.topics.retention"));
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
	void anApplicationThatIsNotARoleCreatesNoTopics() {
		this.contextRunner.withPropertyValues("gateway.role=", "gateway.topics.prefix=teamapp").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KafkaAdmin.NewTopics.class);
			try (Admin admin = admin()) {
				assertThat(admin.listTopics().names().get()).noneMatch((name) -> name.startsWith("teamapp."));
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

	/**
	 * The created topics, once every broker's metadata knows them: creation is complete
	 * at the controller a moment before a describe sees it.
	 */
	private static Map<String, TopicDescription> describe(TopicLayout layout) {
		try (Admin admin = admin()) {
			return await().atMost(Duration.ofSeconds(30))
				.ignoreException(ExecutionException.class)
				.until(() -> admin.describeTopics(layout.all()).allTopicNames().get(), (topics) -> true);
		}
	}

	private static Map<String, String> retentionMs(List<String> topics) throws Exception {
		Map<String, String> retention = new HashMap<>();
		configs(topics, TopicConfig.RETENTION_MS_CONFIG).forEach((topic, entry) -> retention.put(topic, entry.value()));
		return retention;
	}

	private static Map<String, ConfigEntry> configs(List<String> topics, String name) throws Exception {
		try (Admin admin = admin()) {
			List<ConfigResource> resources = topics.stream()
				.map((topic) -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
				.toList();
			Map<ConfigResource, Config> configs = await().atMost(Duration.ofSeconds(30))
				.ignoreException(ExecutionException.class)
				.until(() -> admin.describeConfigs(resources).all().get(), (described) -> true);
			Map<String, ConfigEntry> entries = new HashMap<>();
			configs.forEach((resource, config) -> entries.put(resource.name(), config.get(name)));
			return entries;
		}
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

}
