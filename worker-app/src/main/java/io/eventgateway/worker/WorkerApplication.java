package io.eventgateway.worker;

import java.security.Security;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.LoggingEventProcessor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The worker role: fetches leased tasks, runs the {@code EventProcessor}, answers ACK or
 * NACK. Everything but the processor comes from the worker starter; this application only
 * supplies the default processor, which logs and ACKs.
 */
@SpringBootApplication
public class WorkerApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "worker-app";

	/**
	 * How long, in seconds, the JVM keeps a resolved address unless told otherwise: short
	 * enough that orchestrator discovery sees a new replica within about one interval.
	 */
	static final String DNS_CACHE_SECONDS = "5";

	public static void main(String[] args) {
		// The JVM caches a lookup for 30 s by default, which would add up to 30 s to
		// every re-resolution of the orchestrators. Read once, at the first lookup, so
		// it is set before anything resolves; an operator's own choice wins.
		if (Security.getProperty("networkaddress.cache.ttl") == null
				&& System.getProperty("sun.net.inetaddr.ttl") == null) {
			Security.setProperty("networkaddress.cache.ttl", DNS_CACHE_SECONDS);
		}
		GatewayApplications.builder(WorkerApplication.class, ROLE).run(args);
	}

	/**
	 * The default processor; a processor registered before this configuration is read
	 * (the standalone mode and the benchmark register theirs) takes its place.
	 */
	@Bean
	@ConditionalOnMissingBean
	EventProcessor eventProcessor() {
		return new LoggingEventProcessor();
	}

}
