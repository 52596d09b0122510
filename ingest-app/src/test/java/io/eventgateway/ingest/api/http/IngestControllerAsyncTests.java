package io.eventgateway.ingest.api.http;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.config.IngestProperties;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.pipeline.TestPipelines;
import io.eventgateway.ingest.publish.HoldingPublisher;
import io.eventgateway.ingest.publish.InFlightEvents;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP request goes asynchronous while its events are published (a real publisher
 * peer over loopback gRPC, holding the P10 lane), with the response timeout of the
 * settings, and is answered 503 when that timeout passes first.
 */
class IngestControllerAsyncTests {

	private static final String BULK = "{\"events\":[{\"company_id\":\"c1\",\"event_type\":\"report.built\",\"source\":\"shop\",\"payload\":{}}]}";

	private final HoldingPublisher publisher = startPublisher();

	private final IngestProperties properties = new Binder(new MapConfigurationPropertySource(
			Map.of("gateway.ingest.http.response-timeout", "7s", "gateway.ingest.publisher.timeout", "5s")))
		.bindOrCreate("gateway.ingest", IngestProperties.class);

	private final MockMvc mvc = MockMvcBuilders
		.standaloneSetup(new IngestController(
				TestPipelines.publishingTo(this.publisher.client(Duration.ofSeconds(5), 1024 * 1024)),
				new BatchLimits(100), this.properties, new ApiKeys(Map.of())))
		.build();

	@AfterEach
	void stop() {
		this.publisher.close();
	}

	@Test
	void theRequestWaitsForThePublisherWithoutItsThreadAndIsAnsweredWhenItAnswers() throws Exception {
		this.publisher.holdSlowLanes();

		MvcResult pending = this.mvc.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content(BULK))
			.andExpect(request().asyncStarted())
			.andReturn();

		assertThat(pending.getRequest().getAsyncContext().getTimeout()).isEqualTo(7000);
		assertThatIllegalStateException().as("answered before the publisher")
			.isThrownBy(() -> pending.getAsyncResult(0));
		this.publisher.releaseHeld();
		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.results[0].status").value("accepted"));
	}

	@Test
	void aDelayedEventIsAnsweredWhenStoredWithoutWaitingForItsDueTime() throws Exception {
		String due = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS).toString();
		String delayed = "{\"events\":[{\"event_id\":\"later-1\",\"company_id\":\"c1\",\"event_type\":\"report.built\","
				+ "\"source\":\"shop\",\"payload\":{},\"not_before\":\"" + due + "\"}]}";

		MvcResult pending = this.mvc
			.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content(delayed))
			.andExpect(request().asyncStarted())
			.andReturn();

		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.results[0].status").value("accepted"));
		assertThat(this.publisher.calls()).singleElement()
			.satisfies((call) -> assertThat(call).singleElement()
				.satisfies((event) -> assertThat(ProtoTime.instant(event.getNotBefore()).toString()).isEqualTo(due)));
	}

	@Test
	void aRequestNotAnsweredWithinTheResponseTimeoutIs503() throws Exception {
		this.publisher.holdSlowLanes();
		MvcResult pending = this.mvc.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content(BULK))
			.andExpect(request().asyncStarted())
			.andReturn();

		MockAsyncContext context = (MockAsyncContext) pending.getRequest().getAsyncContext();
		for (AsyncListener listener : context.getListeners()) {
			listener.onTimeout(new AsyncEvent(context));
		}

		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.detail").value(containsString("gateway.ingest.http.response-timeout")))
			// The client may not know the ids ingest gave its events: it is not told it
			// can resend without duplicates.
			.andExpect(jsonPath("$.detail").value(containsString("may be stored twice")));
	}

	@Test
	void aRequestOverTheEventsInFlightIsRefusedAtOnceWithRetryAfterAndItsRoomOutlivesTheTimeout() throws Exception {
		InFlightEvents inFlight = new InFlightEvents(1);
		MockMvc bounded = MockMvcBuilders
			.standaloneSetup(new IngestController(
					TestPipelines.publishingTo(this.publisher.client(Duration.ofSeconds(5), 1024 * 1024, inFlight)),
					new BatchLimits(100), this.properties, new ApiKeys(Map.of())))
			.build();
		this.publisher.holdSlowLanes();
		MvcResult pending = bounded.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content(BULK))
			.andExpect(request().asyncStarted())
			.andReturn();

		bounded.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content(BULK))
			.andExpect(request().asyncNotStarted())
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "1"))
			.andExpect(jsonPath("$.detail").value(containsString("gateway.ingest.publisher.max-in-flight-events")));

		// The first request's answer times out, but its event is still in flight until
		// the publisher answers: only then is its room given back.
		MockAsyncContext context = (MockAsyncContext) pending.getRequest().getAsyncContext();
		for (AsyncListener listener : context.getListeners()) {
			listener.onTimeout(new AsyncEvent(context));
		}
		bounded.perform(asyncDispatch(pending)).andExpect(status().isServiceUnavailable());
		assertThat(inFlight.inFlight()).isEqualTo(1);
		this.publisher.releaseHeld();
		await().until(() -> inFlight.inFlight() == 0);
		assertThat(inFlight.refused()).isEqualTo(1);
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
