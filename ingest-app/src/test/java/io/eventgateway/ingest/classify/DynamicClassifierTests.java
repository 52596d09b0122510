package io.eventgateway.ingest.classify;

import java.util.Map;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.ingest.flow.AimdSettings;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.quota.Quota;
import io.eventgateway.ingest.quota.QuotaBuckets;
import io.eventgateway.ingest.quota.QuotaTable;

import static org.assertj.core.api.Assertions.assertThat;

class DynamicClassifierTests {

	/** Time stands still, so no bucket refills during a test. */
	private static final TimeMeter FROZEN = new TimeMeter() {

		@Override
		public long currentTimeNanos() {
			return 0;
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}

	};

	private final QuotaBuckets quotas = new QuotaBuckets(
			new QuotaTable(new Quota(1000, 1000), Map.of("noisy", new Quota(1, 1))), FROZEN);

	private final SloService slo = new SloService(new AimdSettings(3, 1, 0.5, 1, 3), () -> 0L);

	private final DynamicClassifier classifier = new DynamicClassifier(this.quotas, this.slo);

	@Test
	void withinQuotaTheStaticPriorityStands() {
		assertThat(this.classifier.admit("quiet", Priority.P30)).isEqualTo(new Admission(Priority.P30, null, false));
		assertThat(this.classifier.admit("quiet", Priority.P20)).isEqualTo(new Admission(Priority.P20, null, false));
	}

	@Test
	void overQuotaP30IsDemotedToP20() {
		this.classifier.admit("noisy", Priority.P30);
		Admission admission = this.classifier.admit("noisy", Priority.P30);
		assertThat(admission).isEqualTo(new Admission(Priority.P20, Priority.P30, false));
		assertThat(admission.demoted()).isTrue();
		assertThat(this.classifier.demotedFrom(Priority.P30)).isEqualTo(1);
	}

	@Test
	void overQuotaP20IsDemotedToP10WhichNeedsAdmission() {
		this.classifier.admit("noisy", Priority.P20);
		assertThat(this.classifier.admit("noisy", Priority.P20))
			.isEqualTo(new Admission(Priority.P10, Priority.P20, false));
		assertThat(this.classifier.demotedFrom(Priority.P20)).isEqualTo(1);
	}

	@Test
	void overQuotaP10GoesToOffload() {
		this.classifier.admit("noisy", Priority.P10);
		assertThat(this.classifier.admit("noisy", Priority.P10)).isEqualTo(new Admission(Priority.P10, null, true));
		assertThat(this.classifier.offloaded()).isEqualTo(1);
	}

	@Test
	void p10OverTheAdmissionRateGoesToOffloadWhateverTheQuota() {
		// The admission rate holds 3 tokens.
		for (int i = 0; i < 3; i++) {
			assertThat(this.classifier.admit("quiet", Priority.P10).offload()).isFalse();
		}
		assertThat(this.classifier.admit("quiet", Priority.P10)).isEqualTo(new Admission(Priority.P10, null, true));
		// P30 and P20 do not need admission.
		assertThat(this.classifier.admit("quiet", Priority.P30).offload()).isFalse();
	}

	@Test
	void oneNoisyCompanyLeavesOthersAlone() {
		for (int i = 0; i < 10; i++) {
			this.classifier.admit("noisy", Priority.P30);
		}
		assertThat(this.classifier.admit("quiet", Priority.P30).priority()).isEqualTo(Priority.P30);
	}

}
