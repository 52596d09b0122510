package io.eventgateway.client;

import java.util.concurrent.CompletableFuture;

import io.eventgateway.proto.v1.IngestEvent;

/**
 * An event between {@link GatewayClient#send(Event)} and its final result: its wire form
 * (with its id fixed before the first attempt), its deadline and its attempts so far.
 *
 * <p>
 * Handed from thread to thread (sender, gRPC callback, timer) but touched by one at a
 * time: each hand-off goes through a lock or an executor. Its {@code result} is completed
 * only by {@link GatewayClient}, once, after the event left the client's books.
 */
final class PendingEvent {

	final IngestEvent event;

	final CompletableFuture<SendResult> result;

	final long deadlineNanos;

	final long bytes;

	/**
	 * The room it holds under {@code maxInFlightBytes}, given back once it has a result.
	 */
	final long heldBytes;

	volatile int attempts;

	/** Ingest's answer to its last attempt, while it waits for the next; null before. */
	volatile String lastAnswer;

	PendingEvent(IngestEvent event, CompletableFuture<SendResult> result, long deadlineNanos, long bytes,
			long heldBytes) {
		this.event = event;
		this.result = result;
		this.deadlineNanos = deadlineNanos;
		this.bytes = bytes;
		this.heldBytes = heldBytes;
	}

	String eventId() {
		return this.event.getEventId();
	}

	/** Its result, with the attempts made so far. */
	SendResult resultOf(SendResult.Outcome outcome, String priority, String field, String message) {
		return new SendResult(eventId(), outcome, priority, field, message, this.attempts);
	}

}
