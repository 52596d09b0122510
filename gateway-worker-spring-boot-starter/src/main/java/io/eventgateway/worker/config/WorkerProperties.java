package io.eventgateway.worker.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.eventgateway.worker.fleet.OrchestratorTarget;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker role.
 *
 * @param workerId identifies this worker in orchestrator logs; the host name when empty
 * @param concurrency how many fetch loops run in parallel
 * @param maxTasksPerBatch the most tasks one FetchTasks call asks for
 * @param maxWait how long a FetchTasks call waits for tasks when there are none
 * @param maxBatches stop fetching after this many non-empty batches; 0 for never (useful
 * with {@code execute=false} to peek at live traffic)
 * @param execute false for a dry run: fetch and log, never process; every task is
 * answered RELEASE, so its event goes back to the gateway at once with nothing counted
 * against it
 * @param prefetch how many batches each fetch loop fetches ahead of the one it processes,
 * so that it does not wait for a FetchTasks call between batches; their leases are
 * renewed while they wait, for at most {@code prefetchHold}. 0 fetches each batch only
 * after the one before is answered: an event leased ahead waits for the batch in hand, so
 * a slow processor on a lightly loaded gateway may prefer 0
 * @param prefetchHold how long a batch fetched ahead may wait for the batch in hand; then
 * it is handed back unprocessed (RELEASE, nothing counted against its events) so that
 * another worker takes it at once, and its lease is no longer renewed. Its default is the
 * P30 SLO, so that a hanging batch in hand does not hold urgent events much longer than
 * their SLO
 * @param prefetchLead how long before the batch in hand is expected to end (going by the
 * processor's time per event on the batches before) the next one is fetched: enough for a
 * FetchTasks call, so the processor does not wait, and no more, since an urgent event
 * that reaches the orchestrator after the next batch is leased waits behind it too. A
 * batch expected to take less than the lead has its successor fetched at once, as is the
 * first batch; a lead longer than any batch's processing time always fetches at once
 * @param maxProcessingTime the longest the worker keeps renewing the lease of one batch;
 * after it a hung processor's events go back to the gateway when the lease expires
 * @param orchestrators the orchestrators as {@code host:port}; each host is resolved to
 * all its addresses (a headless service: every ready replica) and the worker keeps one
 * channel per address; fetches rotate over the replicas, and everything about a lease
 * goes to the replica that issued it
 * @param discoveryInterval how often the hosts of {@code orchestrators} are resolved
 * again, so that a scaled-up replica is used and a removed one let go
 * @param tls TLS on the channels to the orchestrators
 * @param answerLinger how long the worker's answer producer waits to fill a request
 * ({@code linger.ms}), whatever the application's producers use: answers only need to
 * arrive well within the lease, and one request for many batches' answers saves the
 * answer path a produce request on the worker and a fetch on the orchestrator per batch
 */
@Validated
@ConfigurationProperties("gateway.worker")
public record WorkerProperties(@DefaultValue("") String workerId, @DefaultValue("1") @Min(1) @Max(256) int concurrency,
		@DefaultValue("100") @Min(1) @Max(100_000) int maxTasksPerBatch, @DefaultValue("1s") Duration maxWait,
		@DefaultValue("0") @Min(0) long maxBatches, @DefaultValue("true") boolean execute,
		@DefaultValue("1") @Min(0) @Max(16) int prefetch, @DefaultValue("5s") Duration prefetchHold,
		@DefaultValue("100ms") Duration prefetchLead, @DefaultValue("10m") Duration maxProcessingTime,
		@DefaultValue("127.0.0.1:9082") List<String> orchestrators, @DefaultValue("15s") Duration discoveryInterval,
		@DefaultValue Tls tls, @DefaultValue("20ms") Duration answerLinger) {

	/** Far below any lease: answers must reach the orchestrator before it ends. */
	static final Duration MAX_ANSWER_LINGER = Duration.ofSeconds(1);

	public WorkerProperties {
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("gateway.worker.max-wait must not be negative, was " + maxWait);
		}
		if (prefetchHold.isNegative() || prefetchHold.isZero()) {
			throw new IllegalArgumentException("gateway.worker.prefetch-hold must be positive, was " + prefetchHold);
		}
		if (prefetchLead.isNegative()) {
			throw new IllegalArgumentException(
					"gateway.worker.prefetch-lead must not be negative, was " + prefetchLead);
		}
		if (maxProcessingTime.isNegative() || maxProcessingTime.isZero()) {
			throw new IllegalArgumentException(
					"gateway.worker.max-processing-time must be positive, was " + maxProcessingTime);
		}
		if (orchestrators.isEmpty()) {
			throw new IllegalArgumentException(OrchestratorTarget.SETTING + " must name at least one orchestrator");
		}
		// Parsed here so that a bad entry stops the worker at start, naming the setting.
		orchestrators.forEach(OrchestratorTarget::parse);
		if (answerLinger.isNegative() || answerLinger.compareTo(MAX_ANSWER_LINGER) > 0) {
			throw new IllegalArgumentException("gateway.worker.answer-linger must be between 0 and "
					+ MAX_ANSWER_LINGER.toSeconds() + "s, was " + answerLinger.toMillis() + "ms");
		}
		if (discoveryInterval.isNegative() || discoveryInterval.isZero()) {
			throw new IllegalArgumentException(
					"gateway.worker.discovery-interval must be positive, was " + discoveryInterval);
		}
	}

	/** The orchestrator targets, parsed. */
	public List<OrchestratorTarget> orchestratorTargets() {
		return this.orchestrators.stream().map(OrchestratorTarget::parse).toList();
	}

	/**
	 * TLS on the channels to the orchestrators.
	 *
	 * @param bundle the Spring SSL bundle ({@code spring.ssl.bundle.*}) whose trust
	 * material checks the orchestrators' certificate and whose key material is presented
	 * when they require client certificates; empty for plaintext
	 * @param authority the name the orchestrators' certificate must hold; empty for the
	 * host name of each entry of {@code orchestrators}
	 */
	public record Tls(@DefaultValue("") String bundle, @DefaultValue("") String authority) {

		/** Whether the channels use TLS. */
		public boolean enabled() {
			return !this.bundle.isBlank();
		}

	}

}
