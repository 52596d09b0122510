package io.eventgateway.publisher.route;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.eventgateway.publisher.route.RolloutRouter.Cluster;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutRouterTests {

	private final AtomicInteger percentage = new AtomicInteger();

	private final RolloutRouter router = new RolloutRouter(this.percentage::get);

	@Test
	void bucketIsCrc32OfTheCompanyIdModulo100() {
		// CRC32("acme") = 0x05C4BA3E = 96778814, a value other CRC32 tools agree on.
		assertThat(RolloutRouter.bucket("acme")).isEqualTo(14);
	}

	@Test
	void bucketOfACompanyIsStable() {
		assertThat(RolloutRouter.bucket("company-42")).isEqualTo(RolloutRouter.bucket("company-42"));
	}

	@Test
	void zeroPercentSendsEveryCompanyToPrimary() {
		assertThat(IntStream.range(0, 1000).mapToObj((i) -> this.router.route("company-" + i)))
			.containsOnly(Cluster.PRIMARY);
	}

	@Test
	void hundredPercentSendsEveryCompanyToRollout() {
		this.percentage.set(100);

		assertThat(IntStream.range(0, 1000).mapToObj((i) -> this.router.route("company-" + i)))
			.containsOnly(Cluster.ROLLOUT);
	}

	@Test
	void companyGoesToRolloutExactlyWhenItsBucketIsBelowThePercentage() {
		String company = "acme";
		int bucket = RolloutRouter.bucket(company);

		this.percentage.set(bucket);
		assertThat(this.router.route(company)).isEqualTo(Cluster.PRIMARY);
		this.percentage.set(bucket + 1);
		assertThat(this.router.route(company)).isEqualTo(Cluster.ROLLOUT);
	}

	@Test
	void changingThePercentageMovesAboutThatShareOfCompanies() {
		this.percentage.set(50);

		long rollout = IntStream.range(0, 10_000)
			.mapToObj((i) -> this.router.route("company-" + i))
			.filter((cluster) -> cluster == Cluster.ROLLOUT)
			.count();

		assertThat(rollout).isBetween(4_500L, 5_500L);
		assertThat(this.router.routedCount(Cluster.ROLLOUT)).isEqualTo(rollout);
		assertThat(this.router.routedCount(Cluster.PRIMARY)).isEqualTo(10_000 - rollout);
	}

}
