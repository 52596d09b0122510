package io.eventgateway.client;

import java.util.concurrent.CompletableFuture;

import io.eventgateway.proto.v1.IngestEvent;

/**
 * An event between {@link GatewayClient#send(Event)} and its final result: its wire form
 * (with its id fixed before the first attempt), its deadline and its attempts so far.
 *
 * <p>
 * Handed from thread to thread (sender, gRPC callback, timer) but touched by one at a
 * time: each hand-off goes through a lock or an executor.
 */
final class PendingEvent {

	final IngestEvent event;

	final CompletableFuture<SendResult> result;

	final long deadlineNanos;

	final long bytes;

	volatile int attempts;

	PendingEvent(IngestEvent event, CompletableFuture<SendResult> result, long deadlineNanos, long bytes) {
		this.event = event;
		this.result = result;
		this.deadlineNanos = deadlineNanos;
		this.bytes = bytes;
	}

	String eventId() {
		return this.event.getEventId();
	}

	void complete(SendResult.Outcome outcome, String priority, String field, String message) {
		this.result.complete(new SendResult(eventId(), outcome, priority, field, message, this.attempts));
	}

}
