package io.eventgateway.ingest.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.bucket4j.TimeMeter;

import io.eventgateway.common.event.Priority;
import io.eventgateway.ingest.classify.ClassificationRule;
import io.eventgateway.ingest.classify.DynamicClassifier;
import io.eventgateway.ingest.classify.StaticClassifier;
import io.eventgateway.ingest.delay.DelayCap;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.flow.AimdSettings;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.ingest.quota.Quota;
import io.eventgateway.ingest.quota.QuotaBuckets;
import io.eventgateway.ingest.quota.QuotaTable;

/**
 * Pipelines for tests: {@code trigger.*} events are P30, {@code later.*} events are P10
 * delayed 10 minutes by their rule, the others P10; no delay is longer than an hour.
 */
public final class TestPipelines {

	private TestPipelines() {
	}

	/**
	 * A pipeline whose P10 admission rate lets one event in per second (the next ones go
	 * to the offload lane), with generous quotas.
	 */
	public static IngestPipeline publishingTo(PublisherClient publisher) {
		StaticClassifier classifier = new StaticClassifier(List
			.of(ClassificationRule.of("triggers", null, "trigger.", null, null, Priority.P30), new ClassificationRule(
					"later", null, "later.", null, null, Priority.P10, null, Duration.ofMinutes(10))),
				Priority.P10);
		DynamicClassifier admission = new DynamicClassifier(
				new QuotaBuckets(new QuotaTable(new Quota(1000, 1000), Map.of()), TimeMeter.SYSTEM_NANOTIME),
				new SloService(new AimdSettings(1, 1, 0.5, 1, 1), System::nanoTime));
		return new IngestPipeline(new EventRules(1024), () -> classifier, admission, new DelayCap(Duration.ofHours(1)),
				publisher, Clock.systemUTC());
	}

}
