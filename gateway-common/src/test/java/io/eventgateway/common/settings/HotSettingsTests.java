package io.eventgateway.common.settings;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HotSettingsTests {

	private final Map<String, Object> values = new HashMap<>();

	private final StandardEnvironment environment = new StandardEnvironment();

	private final LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();

	HotSettingsTests() {
		this.environment.getPropertySources().addFirst(new MapPropertySource("test", this.values));
		this.validator.afterPropertiesSet();
	}

	@Test
	void bindsDefaultsAndValuesAtStart() {
		this.values.put("demo.percentage", "20");

		HotSettings<Demo> settings = settings();

		assertThat(settings.current()).isEqualTo(new Demo(20, "primary"));
	}

	@Test
	void invalidValueAtStartFailsTheStart() {
		this.values.put("demo.percentage", "150");

		assertThatExceptionOfType(BindException.class).isThrownBy(this::settings);
	}

	@Test
	void valueTheCheckRefusesAtStartFailsTheStart() {
		this.values.put("demo.percentage", "60");

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(this::checkedSettings)
			.withMessageContaining("demo.percentage");
	}

	@Test
	void valueTheCheckRefusesOnRefreshIsRejectedAndTheLastGoodOneStays() {
		this.values.put("demo.percentage", "10");
		HotSettings<Demo> settings = checkedSettings();
		this.values.put("demo.percentage", "60");

		settings.refresh();

		assertThat(settings.current().percentage()).isEqualTo(10);
		assertThat(settings.rejectionCount()).isEqualTo(1);
		assertThat(settings.lastRejection()).contains("demo.percentage (60) is over the budget of 50");
	}

	@Test
	void changeUnderThePrefixTakesEffect() {
		HotSettings<Demo> settings = settings();
		this.values.put("demo.percentage", "50");

		settings.onApplicationEvent(new EnvironmentChangeEvent(Set.of("demo.percentage")));

		assertThat(settings.current().percentage()).isEqualTo(50);
		assertThat(settings.rejectionCount()).isZero();
	}

	@Test
	void listenersHearOfAcceptedChangesOnly() {
		HotSettings<Demo> settings = settings();
		java.util.List<Demo> heard = new java.util.ArrayList<>();
		settings.onChange(heard::add);

		this.values.put("demo.percentage", "150");
		settings.refresh();
		this.values.put("demo.percentage", "40");
		settings.refresh();
		settings.refresh();

		assertThat(heard).containsExactly(new Demo(40, "primary"));
	}

	@Test
	void changeElsewhereIsIgnored() {
		HotSettings<Demo> settings = settings();
		this.values.put("demo.percentage", "50");

		settings.onApplicationEvent(new EnvironmentChangeEvent(Set.of("other.key")));

		assertThat(settings.current().percentage()).isZero();
	}

	@Test
	void invalidChangeIsRejectedAndTheLastGoodValueStays() {
		this.values.put("demo.percentage", "30");
		HotSettings<Demo> settings = settings();
		this.values.put("demo.percentage", "150");

		settings.onApplicationEvent(new EnvironmentChangeEvent(Set.of("demo.percentage")));

		assertThat(settings.current().percentage()).isEqualTo(30);
		assertThat(settings.rejectionCount()).isEqualTo(1);
		assertThat(settings.lastRejection()).contains("demo.percentage");
	}

	@Test
	void unconvertibleChangeIsRejectedToo() {
		HotSettings<Demo> settings = settings();
		this.values.put("demo.percentage", "lots");

		settings.refresh();

		assertThat(settings.current().percentage()).isZero();
		assertThat(settings.lastRejection()).contains("demo.percentage");
	}

	@Test
	void aClusterAddressTheEnvironmentForbidsIsRejectedAndCountedAsSuch() {
		this.values.put("gateway.environment", "staging");
		this.values.put("gateway.environment-rules.production-hosts", "*.prod.example.internal");
		this.values.put("gateway.publisher.rollout.bootstrap-servers", "kafka.staging.example.internal:9092");
		HotSettings<Rollout> settings = new HotSettings<>("gateway.publisher.rollout", Rollout.class, this.environment,
				this.validator);
		this.values.put("gateway.publisher.rollout.bootstrap-servers", "b1.prod.example.internal:9092");
		this.values.put("gateway.publisher.rollout.percentage", "100");

		settings.onApplicationEvent(new EnvironmentChangeEvent(
				Set.of("gateway.publisher.rollout.bootstrap-servers", "gateway.publisher.rollout.percentage")));

		assertThat(settings.current()).isEqualTo(new Rollout(0, "kafka.staging.example.internal:9092"));
		assertThat(settings.rejectionCount(HotSettings.Rejection.ENVIRONMENT)).isEqualTo(1);
		assertThat(settings.rejectionCount(HotSettings.Rejection.INVALID)).isZero();
		assertThat(settings.lastRejection()).contains("gateway.publisher.rollout.bootstrap-servers",
				"b1.prod.example.internal", "staging");
	}

	@Test
	void aClusterAddressTheEnvironmentAllowsIsTaken() {
		this.values.put("gateway.environment", "staging");
		this.values.put("gateway.environment-rules.production-hosts", "*.prod.example.internal");
		HotSettings<Rollout> settings = new HotSettings<>("gateway.publisher.rollout", Rollout.class, this.environment,
				this.validator);
		this.values.put("gateway.publisher.rollout.bootstrap-servers", "kafka.staging.example.internal:9092");

		settings
			.onApplicationEvent(new EnvironmentChangeEvent(Set.of("gateway.publisher.rollout.bootstrapServers[0]")));

		assertThat(settings.current().bootstrapServers()).isEqualTo("kafka.staging.example.internal:9092");
		assertThat(settings.rejectionCount()).isZero();
	}

	@Test
	void aRejectionNeverQuotesASecretValue() {
		HotSettings<Vault> settings = new HotSettings<>("vault", Vault.class, this.environment, this.validator);
		this.values.put("vault.secret-number", "s3cr3t-value");

		settings.refresh();

		assertThat(settings.lastRejection()).contains("vault.secret-number").doesNotContain("s3cr3t-value");
		assertThat(settings.rejectionCount(HotSettings.Rejection.INVALID)).isEqualTo(1);
	}

	/**
	 * Settings with a check the record alone cannot make: a budget given from outside.
	 */
	private HotSettings<Demo> checkedSettings() {
		return new HotSettings<>("demo", Demo.class, this.environment, this.validator, (demo) -> {
			if (demo.percentage() > 50) {
				throw new IllegalArgumentException(
						"demo.percentage (" + demo.percentage() + ") is over the budget of 50");
			}
		});
	}

	private HotSettings<Demo> settings() {
		return new HotSettings<>("demo", Demo.class, this.environment, this.validator);
	}

	/** Settings holding a secret. */
	record Vault(@DefaultValue("0") int secretNumber) {
	}

	/** Settings holding a guarded cluster address. */
	record Rollout(@DefaultValue("0") int percentage, @DefaultValue("") String bootstrapServers) {
	}

	/** Settings for the tests. */
	record Demo(@DefaultValue("0") @Min(0) @Max(100) int percentage, @DefaultValue("primary") String target) {
	}

}
