package io.eventgateway.common.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fields a {@link LogContext} puts in the MDC reach the structured (JSON) log lines,
 * through the encoder Spring Boot uses for {@code logging.structured.format.console}.
 */
class LogContextTests {

	private final LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();

	private AppenderBase<ILoggingEvent> appender;

	private final List<String> lines = new ArrayList<>();

	private Logger logger;

	private Object environmentBefore;

	@BeforeEach
	void structuredLogging() {
		this.environmentBefore = this.loggerContext.getObject(Environment.class.getName());
		this.loggerContext.putObject(Environment.class.getName(),
				new MockEnvironment().withProperty("spring.application.name", "orchestrator"));
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(this.loggerContext);
		encoder.setFormat("ecs");
		encoder.start();
		this.appender = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				LogContextTests.this.lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
			}

		};
		this.appender.setContext(this.loggerContext);
		this.appender.start();
		this.logger = this.loggerContext.getLogger(LogContextTests.class);
		this.logger.setAdditive(false);
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void clearContext() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
		if (this.environmentBefore != null) {
			// The application's, when a context set up logging in this JVM before.
			this.loggerContext.putObject(Environment.class.getName(), this.environmentBefore);
		}
		MDC.clear();
	}

	@Test
	void aJsonLineWrittenInTheContextCarriesTheEventAndItsRecord() {
		try (LogContext context = LogContext.event("event-7").at("events.p10", 2, 41).leaseId("lease-3")) {
			this.logger.warn("Dead-lettered event event-7");
		}

		assertThat(this.lines).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("{")
				.contains("\"event_id\":\"event-7\"", "\"topic\":\"events.p10\"", "\"partition\":\"2\"",
						"\"offset\":\"41\"", "\"lease_id\":\"lease-3\"", "Dead-lettered event event-7"));
	}

	@Test
	void closingTheContextRemovesExactlyItsFields() {
		MDC.put("traceId", "abc");
		try (LogContext context = LogContext.lease("lease-9")) {
			assertThat(MDC.get(LogContext.LEASE_ID)).isEqualTo("lease-9");
		}
		this.logger.warn("after");

		assertThat(MDC.get(LogContext.LEASE_ID)).isNull();
		assertThat(MDC.get("traceId")).isEqualTo("abc");
		assertThat(this.lines).singleElement().satisfies((line) -> assertThat(line).doesNotContain("lease_id"));
	}

	@Test
	void missingValuesAddNoField() {
		try (LogContext context = LogContext.event(null).topic("").leaseId(null)) {
			assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
		}
	}

	@Test
	void aNestedContextRestoresTheOuterValueOfTheSameKey() {
		try (LogContext outer = LogContext.lease("lease-1").eventId("outer-event")) {
			try (LogContext inner = LogContext.event("inner-event")) {
				assertThat(MDC.get(LogContext.EVENT_ID)).isEqualTo("inner-event");
				assertThat(MDC.get(LogContext.LEASE_ID)).isEqualTo("lease-1");
			}
			// The lines still written about the outer event carry it, not nothing.
			assertThat(MDC.get(LogContext.EVENT_ID)).isEqualTo("outer-event");
			assertThat(MDC.get(LogContext.LEASE_ID)).isEqualTo("lease-1");
		}
		assertThat(MDC.get(LogContext.EVENT_ID)).isNull();
		assertThat(MDC.get(LogContext.LEASE_ID)).isNull();
	}

	@Test
	void aKeyPutTwiceInOneContextEndsAsItWasBefore() {
		MDC.put(LogContext.TOPIC, "before");
		try (LogContext context = LogContext.record("events.p10", 0, 1).topic("events.p20")) {
			assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("events.p20");
		}
		assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("before");
	}

}
