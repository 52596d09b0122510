package io.eventgateway.ingest.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.proto.v1.PublishResult;

/**
 * A publisher peer on a loopback gRPC port that stores every event it is sent, answering
 * at once, except calls holding a P10 or offload event while {@link #holdSlowLanes()} is
 * in force: those wait, as behind a long linger, until {@link #releaseHeld()}. It records
 * every call, so tests see how ingest split its events. While {@link #actOld()} is in
 * force it behaves as a publisher older than {@code encoded_events}: it ignores them,
 * answering only the events sent decoded.
 */
public final class HoldingPublisher implements AutoCloseable {

	private final Server server;

	private final ManagedChannel channel;

	private final Service service;

	private HoldingPublisher(Server server, Service service) {
		this.server = server;
		this.service = service;
		this.channel = NettyChannelBuilder
			.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort())
			.usePlaintext()
			.build();
	}

	public static HoldingPublisher start() throws IOException {
		Service service = new Service();
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(service)
			.build()
			.start();
		return new HoldingPublisher(server, service);
	}

	/** A client of this publisher. */
	public PublisherClient client(Duration timeout, int maxRequestBytes) {
		return new PublisherClient(PrepPublisherGrpc.newStub(this.channel), timeout, maxRequestBytes);
	}

	/** A client of this publisher, reporting its calls to {@code meters}. */
	public PublisherClient client(Duration timeout, int maxRequestBytes, PublishCalls meters) {
		return new PublisherClient(PrepPublisherGrpc.newStub(this.channel), timeout, maxRequestBytes, meters);
	}

	/**
	 * A client of this publisher that takes room in {@code inFlight} before publishing.
	 */
	public PublisherClient client(Duration timeout, int maxRequestBytes, InFlightEvents inFlight) {
		return new PublisherClient(PrepPublisherGrpc.newStub(this.channel), timeout, maxRequestBytes, PublishCalls.NONE,
				inFlight);
	}

	/** From now on, behaves as a publisher that does not know {@code encoded_events}. */
	public void actOld() {
		this.service.old = true;
	}

	/**
	 * From now on, calls carrying P10 or offload events wait for {@link #releaseHeld()}.
	 */
	public void holdSlowLanes() {
		this.service.holding = true;
	}

	/** Answers every held call and stops holding. */
	public void releaseHeld() {
		this.service.holding = false;
		Runnable answer;
		while ((answer = this.service.held.poll()) != null) {
			answer.run();
		}
	}

	/**
	 * Every call received, in order of arrival: the events each carried (and, while
	 * acting old, did not ignore).
	 */
	public List<List<Event>> calls() {
		return new ArrayList<>(this.service.calls);
	}

	/** Calls that carried events in {@code events} rather than as encoded bytes. */
	public int callsWithDecodedEvents() {
		return this.service.decodedCalls.size();
	}

	@Override
	public void close() {
		releaseHeld();
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	private static final class Service extends PrepPublisherGrpc.PrepPublisherImplBase {

		private static final Set<String> SLOW_TOPICS = Set.of("events.p10", "events.offload");

		private final List<List<Event>> calls = new CopyOnWriteArrayList<>();

		private final List<PublishEventsRequest> decodedCalls = new CopyOnWriteArrayList<>();

		private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

		private volatile boolean holding;

		private volatile boolean old;

		@Override
		public void publishEvents(PublishEventsRequest request, StreamObserver<PublishEventsResponse> answer) {
			if (request.getEventsCount() > 0) {
				this.decodedCalls.add(request);
			}
			List<Event> events = new ArrayList<>();
			PublishEventsResponse.Builder response = PublishEventsResponse.newBuilder();
			boolean slow = false;
			List<Event> sent = new ArrayList<>(request.getEventsList());
			if (!this.old) {
				request.getEncodedEventsList().forEach((encoded) -> sent.add(parse(encoded)));
			}
			for (Event event : sent) {
				events.add(event);
				String topic = topic(event);
				slow |= SLOW_TOPICS.contains(topic);
				response.addResults(PublishResult.newBuilder()
					.setEventId(event.getEventId())
					.setOutcome(PublishResult.Outcome.ACCEPTED)
					.setTopic(topic)
					.setDestination(Destination.PRIMARY));
			}
			this.calls.add(events);
			Runnable reply = () -> {
				try {
					answer.onNext(response.build());
					answer.onCompleted();
				}
				catch (RuntimeException ex) {
					// The caller gave up on the call (its deadline passed): nothing to
					// answer.
				}
			};
			if (slow && this.holding) {
				this.held.add(reply);
			}
			else {
				reply.run();
			}
		}

		private static String topic(Event event) {
			if (event.getOffload()) {
				return "events.offload";
			}
			return "events.p" + event.getPriorityLevel().getNumber();
		}

		private static Event parse(ByteString encoded) {
			try {
				return Event.parseFrom(encoded);
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalArgumentException("not an Event", ex);
			}
		}

	}

}
