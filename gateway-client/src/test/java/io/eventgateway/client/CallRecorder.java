package io.eventgateway.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;

import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;

/**
 * Records every {@code IngestEvents} call a client makes: when it was sent and the ids of
 * the events it carried.
 */
final class CallRecorder implements ClientInterceptor {

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {

			@Override
			public void sendMessage(Q message) {
				if (message instanceof IngestEventsRequest request) {
					CallRecorder.this.calls.add(new Call(System.nanoTime(),
							request.getEventsList().stream().map(IngestEvent::getEventId).toList()));
				}
				super.sendMessage(message);
			}

		};
	}

	List<Call> calls() {
		return List.copyOf(this.calls);
	}

	/**
	 * One call.
	 *
	 * @param sentNanos when it was sent ({@link System#nanoTime()})
	 * @param eventIds the ids of its events, in order
	 */
	record Call(long sentNanos, List<String> eventIds) {
	}

}
