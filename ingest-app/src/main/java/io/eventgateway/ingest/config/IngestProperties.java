package io.eventgateway.ingest.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.eventgateway.common.event.Priority;
import io.eventgateway.ingest.classify.ClassificationRule;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest role.
 *
 * @param limits what one request may carry
 * @param classifier how events are given a priority
 * @param publisher how events are handed to the publisher
 */
@Validated
@ConfigurationProperties("gateway.ingest")
public record IngestProperties(@DefaultValue @Valid Limits limits, @DefaultValue @Valid Classifier classifier,
		@DefaultValue @Valid Publisher publisher) {

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
	 * The hand-off to the publisher (gRPC channel "publisher",
	 * {@code spring.grpc.client.channels.publisher.address}).
	 *
	 * @param timeout how long one publish call may take before its events count as failed
	 * @param maxRequestBytes the most serialized event bytes in one publish call (below
	 * the gRPC message limit)
	 */
	public record Publisher(@DefaultValue("35s") Duration timeout, @DefaultValue("2MB") DataSize maxRequestBytes) {

		public Publisher {
			if (timeout.isZero() || timeout.isNegative()) {
				throw new IllegalArgumentException("gateway.ingest.publisher.timeout must be positive, was " + timeout);
			}
		}

	}

}
