package io.eventgateway.ingest.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PriorityLevel;
import io.eventgateway.proto.v1.PublishResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PublisherClientTests {

	private final HoldingPublisher publisher = startPublisher();

	private final PublisherClient client = this.publisher.client(Duration.ofSeconds(10), 1024 * 1024);

	@AfterEach
	void stopPublisher() {
		this.publisher.close();
	}

	@Test
	void eventsGoSerializedInOneCallPerLaneAndTheirResultsComeBackInOrder() {
		List<Event> events = List.of(event("a", PriorityLevel.P10, false), event("b", PriorityLevel.P30, false),
				event("c", PriorityLevel.P10, true), event("d", PriorityLevel.P30, false),
				event("e", PriorityLevel.P20, false));

		List<PublishResult> results = this.client.publish(events).join();

		assertThat(results).extracting(PublishResult::getEventId).containsExactly("a", "b", "c", "d", "e");
		assertThat(results).extracting(PublishResult::getTopic)
			.containsExactly("events.p10", "events.p30", "events.offload", "events.p30", "events.p20");
		assertThat(this.publisher.calls()).hasSize(4)
			.containsExactlyInAnyOrder(List.of(events.get(0)), List.of(events.get(1), events.get(3)),
					List.of(events.get(2)), List.of(events.get(4)));
		assertThat(this.publisher.callsWithDecodedEvents()).isZero();
	}

	@Test
	void publishingReturnsBeforeThePublisherAnswers() {
		this.publisher.holdSlowLanes();

		CompletableFuture<List<PublishResult>> results = this.client
			.publish(List.of(event("a", PriorityLevel.P10, false)));

		await().until(() -> this.publisher.calls().size() == 1);
		assertThat(results).isNotDone();
		this.publisher.releaseHeld();
		assertThat(results.join()).extracting(PublishResult::getOutcome)
			.containsExactly(PublishResult.Outcome.ACCEPTED);
	}

	@Test
	void urgentEventsDoNotWaitForTheSlowLanes() {
		this.publisher.holdSlowLanes();
		CompletableFuture<List<PublishResult>> bulk = this.client
			.publish(List.of(event("bulk", PriorityLevel.P10, false), event("offload", PriorityLevel.P10, true)));

		List<PublishResult> urgent = this.client.publish(List.of(event("urgent", PriorityLevel.P30, false))).join();

		assertThat(urgent).extracting(PublishResult::getOutcome).containsExactly(PublishResult.Outcome.ACCEPTED);
		assertThat(bulk).isNotDone();
		this.publisher.releaseHeld();
		assertThat(bulk.join()).hasSize(2);
	}

	@Test
	void aLaneOverTheRequestSizeIsSplitIntoSeveralCalls() {
		Event first = event("a", PriorityLevel.P30, false);
		PublisherClient small = this.publisher.client(Duration.ofSeconds(10), first.getSerializedSize() * 2);
		List<Event> events = List.of(first, event("b", PriorityLevel.P30, false), event("c", PriorityLevel.P30, false));

		List<PublishResult> results = small.publish(events).join();

		assertThat(results).extracting(PublishResult::getEventId).containsExactly("a", "b", "c");
		assertThat(this.publisher.calls()).containsExactlyInAnyOrder(events.subList(0, 2), events.subList(2, 3));
	}

	@Test
	void aCallPastItsTimeoutRejectsItsEventsAloneAndIsCounted() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		// Long enough for the unheld call on a busy machine; the held one waits it out.
		PublisherClient impatient = this.publisher.client(Duration.ofSeconds(3), 1024 * 1024,
				new PublishMeters(registry));
		this.publisher.holdSlowLanes();

		List<PublishResult> results = impatient
			.publish(List.of(event("slow", PriorityLevel.P10, false), event("fast", PriorityLevel.P30, false)))
			.join();

		assertThat(results.get(0).getOutcome()).isEqualTo(PublishResult.Outcome.REJECTED);
		assertThat(results.get(0).getEventId()).isEqualTo("slow");
		assertThat(results.get(0).getError()).startsWith("publisher unavailable: DEADLINE_EXCEEDED");
		assertThat(results.get(1).getOutcome()).isEqualTo(PublishResult.Outcome.ACCEPTED);
		assertThat(calls(registry, "p10", "DEADLINE_EXCEEDED")).isEqualTo(1);
		assertThat(calls(registry, "p30", "answered")).isEqualTo(1);
		assertThat(calls(registry, "p10", "answered")).isZero();
	}

	@Test
	void anUnreachablePublisherRejectsEveryEventWithoutThrowing() throws IOException {
		ManagedChannel nowhere = NettyChannelBuilder
			.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), unusedPort())
			.usePlaintext()
			.build();
		try {
			PublisherClient unreachable = new PublisherClient(PrepPublisherGrpc.newStub(nowhere), Duration.ofSeconds(5),
					1024 * 1024);

			List<PublishResult> results = unreachable
				.publish(List.of(event("a", PriorityLevel.P30, false), event("b", PriorityLevel.P10, false)))
				.join();

			assertThat(results).extracting(PublishResult::getEventId).containsExactly("a", "b");
			assertThat(results).allSatisfy((result) -> {
				assertThat(result.getOutcome()).isEqualTo(PublishResult.Outcome.REJECTED);
				assertThat(result.getError()).startsWith("publisher unavailable: UNAVAILABLE");
			});
		}
		finally {
			nowhere.shutdownNow();
		}
	}

	@Test
	void aPublisherThatIgnoresEncodedEventsIsSentThemAgainDecoded() {
		this.publisher.actOld();
		List<Event> events = List.of(event("a", PriorityLevel.P30, false), event("b", PriorityLevel.P10, false),
				event("c", PriorityLevel.P30, false));

		List<PublishResult> results = this.client.publish(events).join();

		assertThat(results).extracting(PublishResult::getEventId).containsExactly("a", "b", "c");
		assertThat(results).extracting(PublishResult::getOutcome).containsOnly(PublishResult.Outcome.ACCEPTED);
		// Each lane's call once ignored, then once with its events decoded.
		assertThat(this.publisher.callsWithDecodedEvents()).isEqualTo(2);
		assertThat(this.publisher.calls()).hasSize(4)
			.containsOnlyOnce(List.of(events.get(0), events.get(2)), List.of(events.get(1)));
	}

	@Test
	void noEventsMeanNoCall() {
		assertThat(this.client.publish(List.of()).join()).isEmpty();
		assertThat(this.publisher.calls()).isEmpty();
	}

	private static Event event(String id, PriorityLevel priority, boolean offload) {
		return Event.newBuilder()
			.setEventId(id)
			.setCompanyId("c1")
			.setEventType("t")
			.setSourceName("s")
			.setPriorityLevel(priority)
			.setOffload(offload)
			.build();
	}

	private static double calls(SimpleMeterRegistry registry, String lane, String outcome) {
		return registry.get("gateway.ingest.publish.calls").tag("lane", lane).tag("outcome", outcome).counter().count();
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static HoldingPublisher startPublisher() {
		try {
			return HoldingPublisher.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
