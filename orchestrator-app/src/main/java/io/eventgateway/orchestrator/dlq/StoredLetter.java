package io.eventgateway.orchestrator.dlq;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.Event;

/**
 * A dead letter with what a redrive needs beyond its description.
 *
 * @param letter what an operator sees
 * @param event the event it holds, or {@code null} when it holds none
 * @param traceParent the W3C trace context it carried, or {@code null}
 */
record StoredLetter(DeadLetter letter, @Nullable Event event, @Nullable String traceParent) {

}
