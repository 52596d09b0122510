package io.eventgateway.standalone;

import java.util.List;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps a role's finished spans in memory, beside whatever else it exports. Added to
 * every role of a test cluster with {@code --spring.main.sources=} this class and
 * {@code --gateway.tracing.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
public class TracingCapture {

	/** The argument that adds this configuration to a role. */
	static final String ARGUMENT = "--spring.main.sources=" + TracingCapture.class.getName();

	@Bean
	InMemorySpanExporter inMemorySpanExporter() {
		return InMemorySpanExporter.create();
	}

	/** The spans the role has exported so far, of the given trace. */
	static List<SpanData> spans(ApplicationContext role, String traceId) {
		return role.getBean(InMemorySpanExporter.class)
			.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getTraceId().equals(traceId))
			.toList();
	}

}
