package io.eventgateway.ingest.quota;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QuotaBucketsTests {

	private final FakeTime time = new FakeTime();

	private final QuotaBuckets buckets = new QuotaBuckets(
			new QuotaTable(new Quota(10, 5), Map.of("big", new Quota(100, 50))), this.time);

	@Test
	void aCompanyMaySpendItsBurstAtOnceAndNoMore() {
		assertThat(take("acme", 5)).isEqualTo(5);
		assertThat(this.buckets.tryTake("acme")).isFalse();
	}

	@Test
	void bucketsRefillAtTheirRate() {
		take("acme", 5);
		this.time.advance(Duration.ofMillis(300));
		// 10 per second for 0.3 s: 3 tokens.
		assertThat(take("acme", 10)).isEqualTo(3);
		this.time.advance(Duration.ofSeconds(10));
		// Never more than the burst.
		assertThat(take("acme", 10)).isEqualTo(5);
	}

	@Test
	void companiesHaveTheirOwnBuckets() {
		take("acme", 5);
		assertThat(this.buckets.tryTake("acme")).isFalse();
		assertThat(this.buckets.tryTake("other")).isTrue();
		assertThat(this.buckets.companies()).isEqualTo(2);
	}

	@Test
	void anOverrideReplacesTheDefault() {
		assertThat(take("big", 100)).isEqualTo(50);
	}

	@Test
	void newQuotasKeepTheStateOfCompaniesWhoseQuotaDidNotChange() {
		take("acme", 5);
		take("big", 50);
		this.buckets.update(new QuotaTable(new Quota(10, 5), Map.of("big", new Quota(200, 100))));
		// acme's quota did not change: its bucket is still empty.
		assertThat(this.buckets.tryTake("acme")).isFalse();
		// big's did: its empty bucket stays proportionally empty, then refills at the new
		// rate.
		assertThat(this.buckets.tryTake("big")).isFalse();
		this.time.advance(Duration.ofMillis(100));
		assertThat(take("big", 100)).isEqualTo(20);
	}

	@Test
	void quotasMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Quota(0, 5))
			.withMessageContaining("events-per-second");
		assertThatIllegalArgumentException().isThrownBy(() -> new Quota(5, 0)).withMessageContaining("burst");
	}

	private int take(String company, int attempts) {
		int taken = 0;
		for (int i = 0; i < attempts; i++) {
			if (this.buckets.tryTake(company)) {
				taken++;
			}
		}
		return taken;
	}

}
