package io.eventgateway.ingest.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.SecretKeys;
import io.eventgateway.ingest.classify.ClassificationRule;
import io.eventgateway.ingest.delay.DelayCap;
import io.eventgateway.ingest.flow.AimdSettings;
import io.eventgateway.ingest.quota.Quota;
import io.eventgateway.ingest.quota.QuotaTable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest role.
 *
 * @param limits what one request may carry
 * @param apiKeys API key to the company it speaks for; a key is either the key itself or
 * {@code sha256:} and the 64 hex digits of its SHA-256 digest (print one with
 * {@code java -jar ingest-app.jar --digest-api-key}); empty to let events name their
 * company (development only)
 * @param classifier how events are given a priority (hot)
 * @param quotas per-company token buckets (hot)
 * @param aimd the P10 admission rate (hot)
 * @param delay how long an event may be delayed
 * @param flowControl how signals from the orchestrators are read
 * @param publisher how events are handed to the publisher
 * @param http how HTTP requests are answered
 */
@Validated
@ConfigurationProperties("gateway.ingest")
public record IngestProperties(@DefaultValue @Valid Limits limits, @DefaultValue Map<String, String> apiKeys,
		@DefaultValue @Valid Classifier classifier, @DefaultValue @Valid Quotas quotas, @DefaultValue @Valid Aimd aimd,
		@DefaultValue @Valid Delay delay, @DefaultValue @Valid FlowControl flowControl,
		@DefaultValue @Valid Publisher publisher, @DefaultValue @Valid Http http) {

	public IngestProperties {
		// A request answered 503 while its events are still being stored would tell the
		// client to send again what is about to be accepted: the answer must be able to
		// wait for the slowest publish call. Delayed events are published at once too, so
		// their delay does not count.
		if (http.responseTimeout().compareTo(publisher.timeout()) <= 0) {
			throw new IllegalArgumentException("gateway.ingest.http.response-timeout (" + http.responseTimeout()
					+ ") must be longer than gateway.ingest.publisher.timeout (" + publisher.timeout() + ")");
		}
		// A full batch is refused whole when it does not fit: a smaller bound would
		// refuse it forever.
		if (publisher.maxInFlightEvents() < limits.maxEvents()) {
			throw new IllegalArgumentException(
					"gateway.ingest.publisher.max-in-flight-events (" + publisher.maxInFlightEvents()
							+ ") must be at least gateway.ingest.limits.max-events (" + limits.maxEvents() + ")");
		}
	}

	/** Shows everything but the API keys, which are secrets: only how many there are. */
	@Override
	public String toString() {
		return "IngestProperties[limits=" + this.limits + ", apiKeys=" + this.apiKeys.size() + " keys "
				+ SecretKeys.MASK + ", classifier=" + this.classifier + ", quotas=" + this.quotas + ", aimd="
				+ this.aimd + ", delay=" + this.delay + ", flowControl=" + this.flowControl + ", publisher="
				+ this.publisher + ", http=" + this.http + "]";
	}

	/** The quota table these settings describe. */
	public QuotaTable quotaTable() {
		Map<String, Quota> overrides = new HashMap<>();
		this.quotas.companies().forEach((company, limit) -> overrides.put(company, limit.toQuota()));
		return new QuotaTable(this.quotas.defaults().toQuota(), overrides);
	}

	/** The AIMD arithmetic these settings describe. */
	public AimdSettings aimdSettings() {
		return new AimdSettings(this.aimd.initialRate, this.aimd.alpha, this.aimd.beta, this.aimd.floor,
				this.aimd.ceiling);
	}

	/**
	 * What one request may carry.
	 *
	 * @param maxEvents the most events in one batch
	 * @param maxRequestBytes the largest request body
	 * @param maxEventBytes the largest event payload
	 */
	public record Limits(@DefaultValue("1000") @Min(1) @Max(100_000) int maxEvents,
			@DefaultValue("5MB") DataSize maxRequestBytes, @DefaultValue("256KB") DataSize maxEventBytes) {

		public Limits {
			if (maxEventBytes.toBytes() < 1 || maxEventBytes.toBytes() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("gateway.ingest.limits.max-event-bytes must be between 1B and 2GB");
			}
			if (maxRequestBytes.toBytes() < 1) {
				throw new IllegalArgumentException("gateway.ingest.limits.max-request-bytes must be positive");
			}
		}

	}

	/**
	 * The static classifier.
	 *
	 * @param defaultPriority the priority of events no rule matches
	 * @param rules evaluated in order; the first match decides
	 */
	public record Classifier(@DefaultValue("P10") @NotNull Priority defaultPriority,
			@DefaultValue List<ClassificationRule> rules) {

	}

	/**
	 * Per-company quotas: over quota, events are demoted one priority level.
	 *
	 * @param defaults the quota of every company without an override
	 * @param companies company id to its own quota
	 */
	public record Quotas(@DefaultValue @Valid QuotaLimit defaults,
			@DefaultValue Map<String, @Valid QuotaLimit> companies) {

	}

	/**
	 * One quota, per ingest instance.
	 *
	 * @param eventsPerSecond the sustained rate
	 * @param burst the most events at once after a quiet period
	 */
	public record QuotaLimit(@DefaultValue("10000") @Min(1) long eventsPerSecond,
			@DefaultValue("20000") @Min(1) long burst) {

		Quota toQuota() {
			return new Quota(this.eventsPerSecond, this.burst);
		}

	}

	/**
	 * The SLO service's P10 admission rate, per ingest instance, in events per second.
	 *
	 * @param initialRate the rate at start
	 * @param alpha added per INCREASE signal
	 * @param beta multiplied per DECREASE signal, in (0, 1)
	 * @param floor the lowest rate
	 * @param ceiling the highest rate
	 */
	public record Aimd(@DefaultValue("50000") @Positive double initialRate,
			@DefaultValue("1000") @Positive double alpha,
			@DefaultValue("0.5") @Positive @DecimalMax(value = "1", inclusive = false) double beta,
			@DefaultValue("100") @DecimalMin("1") double floor, @DefaultValue("50000") @Positive double ceiling) {

		public Aimd {
			// Binding alone cannot check the values against each other.
			new AimdSettings(initialRate, alpha, beta, floor, ceiling);
		}

	}

	/**
	 * Delayed events (a rule's {@code delay} or an event's {@code not_before}). A delayed
	 * event is stored at once, with its due time in {@code not_before}, and waits on the
	 * delay topics until it is due; the request is answered when it is stored.
	 *
	 * @param max the longest an event is delayed, whatever its rule or not-before asks (a
	 * longer delay is cut to this); positive and shorter than
	 * {@code gateway.topics.retention}, so that Kafka keeps a delayed event until it is
	 * due
	 */
	public record Delay(@DefaultValue("1h") Duration max) {

		public Delay {
			if (max.isNegative() || max.isZero()) {
				throw new IllegalArgumentException("gateway.ingest.delay.max must be positive, was " + max);
			}
		}

		/**
		 * The cap these settings describe, checked against the retention of the topics
		 * delayed events wait on.
		 * @param topicsRetention {@code gateway.topics.retention}
		 */
		public DelayCap cap(Duration topicsRetention) {
			if (this.max.compareTo(topicsRetention) >= 0) {
				throw new IllegalArgumentException(
						"gateway.ingest.delay.max (" + this.max + ") must be shorter than gateway.topics.retention ("
								+ topicsRetention + "): Kafka would delete delayed events before they are due");
			}
			return new DelayCap(this.max);
		}

	}

	/**
	 * Signals from the orchestrators ({@code events.flow-control}).
	 *
	 * @param enabled whether to read them; off, the P10 rate stays where it is
	 * @param groupIdPrefix every instance reads every signal, in a consumer group of its
	 * own named by this prefix and a random suffix
	 */
	public record FlowControl(@DefaultValue("true") boolean enabled,
			@DefaultValue("event-gateway-ingest-flow") String groupIdPrefix) {

	}

	/**
	 * The hand-off to the publisher (gRPC channel "publisher",
	 * {@code spring.grpc.client.channels.publisher.address}).
	 *
	 * @param timeout how long one publish call may take before its events count as failed
	 * @param maxRequestBytes the most serialized event bytes in one publish call (below
	 * the gRPC message limit)
	 * @param maxInFlightEvents the most events handed to the publisher and not answered
	 * yet; a request that would pass it is refused whole (HTTP 503 with Retry-After, gRPC
	 * UNAVAILABLE) before any of its events is published, so a slow publisher cannot fill
	 * the heap. At least {@code limits.max-events}
	 */
	public record Publisher(@DefaultValue("35s") Duration timeout, @DefaultValue("2MB") DataSize maxRequestBytes,
			@DefaultValue("100000") @Min(1) int maxInFlightEvents) {

		public Publisher {
			if (timeout.isZero() || timeout.isNegative()) {
				throw new IllegalArgumentException("gateway.ingest.publisher.timeout must be positive, was " + timeout);
			}
		}

	}

	/**
	 * HTTP answers. A request's thread is released while its events are published; the
	 * answer is written when the publisher answered for every event.
	 *
	 * @param responseTimeout the longest a request waits for its answer; past it the
	 * answer is 503 (some of its events may be stored: those sent again with their event
	 * id are stored once, those sent without one may be stored twice). Longer than
	 * {@code publisher.timeout}
	 */
	public record Http(@DefaultValue("90s") Duration responseTimeout) {

	}

}
