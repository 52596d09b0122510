package io.eventgateway.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GatewayOptionsTests {

	@Test
	void defaultsRunTheKitsWorkerBehindTheDefaultKey() {
		GatewayOptions options = GatewayOptions.builder().build();

		assertThat(options.worker()).isTrue();
		assertThat(options.processor()).isNull();
		assertThat(options.apiKey()).isEqualTo(GatewayOptions.DEFAULT_API_KEY);
		assertThat(options.companyId()).isEqualTo(GatewayOptions.DEFAULT_COMPANY_ID);
		assertThat(options.partitions()).isEqualTo(2);
	}

	@Test
	void withoutWorkerDropsTheProcessor() {
		GatewayOptions options = GatewayOptions.builder().processor((event) -> {
		}).withoutWorker().build();

		assertThat(options.worker()).isFalse();
		assertThat(options.processor()).isNull();
	}

	@Test
	void anOpenIngestHasNoKey() {
		assertThat(GatewayOptions.builder().openIngest().build().apiKey()).isNull();
	}

	@Test
	void aPropertyWithoutAValueIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GatewayOptions.builder().property("gateway.orchestrator.lease.timeout").build())
			.withMessageContaining("gateway.orchestrator.lease.timeout")
			.withMessageContaining("key=value");
	}

	@Test
	void zeroPartitionsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayOptions.builder().partitions(0).build())
			.withMessageContaining("partitions");
	}

	@Test
	void aBlankKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayOptions.builder().apiKey(" ", "acme").build())
			.withMessageContaining("apiKey");
	}

}
