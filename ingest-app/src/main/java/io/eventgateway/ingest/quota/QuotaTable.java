package io.eventgateway.ingest.quota;

import java.util.Map;

/**
 * The quotas in force: a default and per-company overrides.
 *
 * @param defaultQuota the quota of companies without an override
 * @param overrides company id to quota
 */
public record QuotaTable(Quota defaultQuota, Map<String, Quota> overrides) {

	public QuotaTable {
		overrides = Map.copyOf(overrides);
	}

	/** The quota of one company. */
	public Quota quotaFor(String companyId) {
		return this.overrides.getOrDefault(companyId, this.defaultQuota);
	}

}
