package io.eventgateway.test;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.eventgateway.worker.processor.EventProcessor;

/**
 * How the test kit runs a gateway. Build one with {@link #builder()}; the defaults run a
 * worker that ACKs every event and an ingest that requires {@link #DEFAULT_API_KEY}.
 *
 * @param worker whether the kit runs a worker of its own; off when the test brings its
 * own (a starter-based application, say) and connects it to
 * {@link TestGateway#orchestratorGrpcTarget()}
 * @param processor what the kit's worker does with each event, or {@code null} to ACK
 * every event; either way the kit records which events were ACKed
 * @param partitions partitions of each topic the gateway creates
 * @param apiKey the API key ingest requires, or {@code null} for an ingest open to any
 * caller (events then name their company themselves)
 * @param companyId the company the API key speaks for
 * @param properties extra Spring properties ({@code key=value}) for every role, for
 * example {@code gateway.orchestrator.lease.timeout=5s}
 */
public record GatewayOptions(boolean worker, @Nullable EventProcessor processor, int partitions,
		@Nullable String apiKey, String companyId, List<String> properties) {

	/** The API key ingest requires unless the options name another or none. */
	public static final String DEFAULT_API_KEY = "event-gateway-test-key";

	/** The company {@link #DEFAULT_API_KEY} speaks for. */
	public static final String DEFAULT_COMPANY_ID = "test-company";

	public GatewayOptions {
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
		}
		if (apiKey != null && apiKey.isBlank()) {
			throw new IllegalArgumentException("apiKey must not be blank: give a key, or none for an open ingest");
		}
		if (companyId == null || companyId.isBlank()) {
			throw new IllegalArgumentException("companyId must not be blank");
		}
		for (String property : properties) {
			if (property.indexOf('=') < 1) {
				throw new IllegalArgumentException("property '" + property + "' is not of the form key=value");
			}
		}
		properties = List.copyOf(properties);
	}

	/**
	 * Options with the defaults: a worker that ACKs everything, two partitions, a key.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** Builds {@link GatewayOptions}. Not thread-safe. */
	public static final class Builder {

		private boolean worker = true;

		private @Nullable EventProcessor processor;

		private int partitions = 2;

		private @Nullable String apiKey = DEFAULT_API_KEY;

		private String companyId = DEFAULT_COMPANY_ID;

		private final List<String> properties = new ArrayList<>();

		private Builder() {
		}

		/** Runs the kit's worker with this processor (the default ACKs everything). */
		public Builder processor(EventProcessor processor) {
			this.processor = processor;
			this.worker = true;
			return this;
		}

		/**
		 * Runs no worker: the test connects its own to
		 * {@link TestGateway#orchestratorGrpcTarget()} and waits with
		 * {@link TestGateway#awaitAllProcessed}.
		 */
		public Builder withoutWorker() {
			this.worker = false;
			this.processor = null;
			return this;
		}

		/** Partitions of each topic (2 by default). */
		public Builder partitions(int partitions) {
			this.partitions = partitions;
			return this;
		}

		/** Requires this API key, speaking for this company, on every ingest call. */
		public Builder apiKey(String apiKey, String companyId) {
			this.apiKey = apiKey;
			this.companyId = companyId;
			return this;
		}

		/** Runs ingest without API keys: events name their company themselves. */
		public Builder openIngest() {
			this.apiKey = null;
			return this;
		}

		/** Adds a Spring property ({@code key=value}) for every role. */
		public Builder property(String keyValue) {
			this.properties.add(keyValue);
			return this;
		}

		/** The options. */
		public GatewayOptions build() {
			return new GatewayOptions(this.worker, this.processor, this.partitions, this.apiKey, this.companyId,
					this.properties);
		}

	}

}
