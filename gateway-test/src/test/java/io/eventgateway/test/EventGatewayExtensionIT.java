package io.eventgateway.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.PriorityLevel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The annotation form: a gateway with the kit's worker, events of every priority sent
 * through ingest's gRPC API with the kit's API key, awaited until processed.
 */
@EventGatewayTest
class EventGatewayExtensionIT {

	@Test
	void eventsOfEveryPriorityAreProcessedByTheKitsWorker(TestGateway gateway) throws Exception {
		List<IngestEvent> events = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		List<PriorityLevel> expected = new ArrayList<>();
		Map<String, PriorityLevel> types = Map.of("trigger.order", PriorityLevel.P30, "interactive.order",
				PriorityLevel.P20, "bulk.order", PriorityLevel.P10);
		types.forEach((type, priority) -> {
			for (int i = 0; i < 5; i++) {
				String id = type + "-" + i;
				ids.add(id);
				events.add(IngestSender.event(id, type));
				expected.add(priority);
			}
		});

		IngestEventsResponse response;
		try (IngestSender sender = new IngestSender(gateway)) {
			response = sender.send(events);
		}

		assertThat(response.getResultsList()).extracting(IngestResult::getStatus)
			.containsOnly(IngestResult.Status.ACCEPTED);
		assertThat(response.getResultsList()).extracting(IngestResult::getPriority).containsExactlyElementsOf(expected);
		gateway.awaitProcessed(ids, Duration.ofSeconds(30));
		assertThat(gateway.processedEventIds()).containsAll(ids);
		gateway.awaitAllProcessed(Duration.ofSeconds(30));
	}

	@Test
	void ingestRefusesACallWithoutTheKitsApiKey(TestGateway gateway) throws Exception {
		assertThat(gateway.apiKey()).isEqualTo(GatewayOptions.DEFAULT_API_KEY);
		try (IngestSender sender = new IngestSender(gateway.ingestGrpcTarget(), null)) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> sender.send(List.of(IngestSender.event("no-key", "bulk.order"))))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
		}
	}

	@Test
	void theGatewayListensOnLoopbackPortsOfItsOwn(TestGateway gateway) {
		assertThat(gateway.ingestGrpcTarget()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:9080");
		assertThat(gateway.ingestHttpUrl()).startsWith("http://127.0.0.1:").isNotEqualTo("http://127.0.0.1:8080");
		assertThat(gateway.orchestratorGrpcTarget()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:9082");
		assertThat(gateway.managementPassword()).isNotBlank();
	}

}
