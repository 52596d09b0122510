package io.eventgateway.examples.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A worker application built on the starter alone: one {@link EventProcessor} bean; the
 * starter brings fetching, lease renewal, answers, metrics and health.
 */
@SpringBootApplication
public class OrderWorker {

	private static final Logger log = LoggerFactory.getLogger(OrderWorker.class);

	public static void main(String[] args) {
		SpringApplication.run(OrderWorker.class, args);
	}

	@Bean
	ProcessedOrders processedOrders() {
		return new ProcessedOrders();
	}

	@Bean
	EventProcessor orders(ProcessedOrders processed) {
		return (event) -> {
			log.info("order event {} ({}) of {}", event.getEventId(), event.getEventType(), event.getCompanyId());
			processed.record(event.getEventId());
		};
	}

}
