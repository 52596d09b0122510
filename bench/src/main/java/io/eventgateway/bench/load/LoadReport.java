package io.eventgateway.bench.load;

/**
 * What the load generator reports of the run in progress, as a JSON line on its standard
 * output: every {@link LoadMain#REPORT_INTERVAL} while it runs ({@code done} false), and
 * once when every event was answered ({@code done} true). Counts are cumulative over the
 * run.
 *
 * @param runId the run reported on
 * @param offered events handed to the client (or producer) so far
 * @param accepted events the gateway accepted (or Kafka acknowledged)
 * @param refused events refused or failed
 * @param answered events the gateway answered for (accepted, or refused for their
 * content), or Kafka acknowledged: events it received; not those a request failed or ran
 * out of time for
 * @param answerSeconds from the run's start until the last of those answers arrived
 * @param sendSeconds from the run's start until the last event was handed over (equal to
 * the run's duration when the generator kept pace, longer when it fell behind)
 * @param done whether the run is over and every event answered
 * @param error why the run could not go on, or {@code null}
 */
public record LoadReport(String runId, long offered, long accepted, long refused, long answered, double answerSeconds,
		double sendSeconds, boolean done, String error) {
}
