package io.eventgateway.ingest.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.HotSettingsMeters;
import io.eventgateway.ingest.classify.DynamicClassifier;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.ingest.quota.QuotaBuckets;

/**
 * Ingest's meters. {@code gateway.ingest.slo.aimd.decrease} is the primary SLO health
 * signal: a sustained rate of decreases means P10 is at risk.
 */
final class IngestMetrics {

	IngestMetrics(MeterRegistry registry, SloService slo, DynamicClassifier classifier, QuotaBuckets quotas,
			HotSettings<IngestProperties> settings, InFlightEvents publishInFlight) {
		FunctionCounter.builder("gateway.ingest.slo.aimd.decrease", slo, SloService::decreases)
			.description("DECREASE signals applied to the P10 admission rate")
			.register(registry);
		FunctionCounter.builder("gateway.ingest.slo.aimd.increase", slo, SloService::increases)
			.description("INCREASE signals applied to the P10 admission rate")
			.register(registry);
		Gauge.builder("gateway.ingest.slo.aimd.rate", slo, SloService::rate)
			.description("P10 admission rate in force, in events per second")
			.register(registry);
		for (Priority from : new Priority[] { Priority.P30, Priority.P20 }) {
			FunctionCounter.builder("gateway.ingest.quota.demoted", classifier, (c) -> c.demotedFrom(from))
				.description("Events demoted one level because their company was over quota")
				.tag("priority", from.name())
				.register(registry);
		}
		FunctionCounter.builder("gateway.ingest.admission.offloaded", classifier, DynamicClassifier::offloaded)
			.description("P10 events sent to the offload topic (over quota or over the admission rate)")
			.register(registry);
		Gauge.builder("gateway.ingest.quota.companies", quotas, QuotaBuckets::companies)
			.description("Companies with a quota bucket")
			.register(registry);
		Gauge.builder("gateway.ingest.publish.in-flight", publishInFlight, InFlightEvents::inFlight)
			.description("Events handed to the publisher and not answered yet (at most "
					+ "gateway.ingest.publisher.max-in-flight-events)")
			.register(registry);
		FunctionCounter.builder("gateway.ingest.publish.refused", publishInFlight, InFlightEvents::refused)
			.description("Requests refused whole, before any of their events was published, because "
					+ "gateway.ingest.publisher.max-in-flight-events events were in flight")
			.register(registry);
		HotSettingsMeters.registerRejections(registry, "gateway.ingest.settings.rejected", settings);
	}

}
