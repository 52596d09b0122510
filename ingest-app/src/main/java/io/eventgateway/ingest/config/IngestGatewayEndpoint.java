package io.eventgateway.ingest.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.SettingsView;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.classify.DynamicClassifier;
import io.eventgateway.ingest.delay.DelayCap;
import io.eventgateway.ingest.flow.FlowSignalSources;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.quota.QuotaBuckets;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gateway}: ingest's live state for an operator: the P10 admission rate
 * and the signals that moved it, demotions and offloads, the longest delay, and the
 * settings in force with the last rejected refresh. Settings are shown with secret-like
 * values masked; API keys never appear, only whether they are required.
 */
@Endpoint(id = "gateway")
public class IngestGatewayEndpoint {

	private final SloService slo;

	private final DynamicClassifier classifier;

	private final QuotaBuckets quotas;

	private final DelayCap delayCap;

	private final HotSettings<IngestProperties> settings;

	private final ApiKeys apiKeys;

	private final FlowSignalSources flowSignalSources;

	IngestGatewayEndpoint(SloService slo, DynamicClassifier classifier, QuotaBuckets quotas, DelayCap delayCap,
			HotSettings<IngestProperties> settings, ApiKeys apiKeys, FlowSignalSources flowSignalSources) {
		this.flowSignalSources = flowSignalSources;
		this.slo = slo;
		this.classifier = classifier;
		this.quotas = quotas;
		this.delayCap = delayCap;
		this.settings = settings;
		this.apiKeys = apiKeys;
	}

	@ReadOperation
	public Map<String, Object> state() {
		IngestProperties current = this.settings.current();
		Map<String, Object> aimd = new LinkedHashMap<>();
		aimd.put("p10AdmissionRate", this.slo.rate());
		aimd.put("decreases", this.slo.decreases());
		aimd.put("increases", this.slo.increases());
		aimd.put("settings", SettingsView.redacted(current.aimd()));
		// By fleet/replica: the last signal of every orchestrator heard from lately.
		aimd.put("sources", this.flowSignalSources.bySource());
		Map<String, Object> quota = new LinkedHashMap<>();
		quota.put("companiesTracked", this.quotas.companies());
		quota.put("demotedFromP30", this.classifier.demotedFrom(Priority.P30));
		quota.put("demotedFromP20", this.classifier.demotedFrom(Priority.P20));
		quota.put("offloaded", this.classifier.offloaded());
		quota.put("settings", SettingsView.redacted(current.quotas()));
		Map<String, Object> hot = new LinkedHashMap<>();
		hot.put("rejectedRefreshes", this.settings.rejectionCount());
		hot.put("lastRejection", this.settings.lastRejection());
		hot.put("classifier", SettingsView.redacted(current.classifier()));
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("apiKeysRequired", this.apiKeys.required());
		state.put("aimd", aimd);
		state.put("quotas", quota);
		// The cap in force: gateway.ingest.delay.max is read at start only.
		state.put("delay", Map.of("max", this.delayCap.max().toString()));
		state.put("settings", hot);
		return state;
	}

}
