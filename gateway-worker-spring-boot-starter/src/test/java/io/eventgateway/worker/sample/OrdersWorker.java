package io.eventgateway.worker.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A complete worker built on the starter, as the README shows it: an application class
 * and its {@link EventProcessor}, with its settings in {@code application.yml}.
 */
@SpringBootApplication
public class OrdersWorker {

	private static final Logger log = LoggerFactory.getLogger(OrdersWorker.class);

	public static void main(String[] args) {
		SpringApplication.run(OrdersWorker.class, args);
	}

	@Bean
	EventProcessor orders() {
		return (event) -> log.info("order event {} of {}", event.getEventId(), event.getCompanyId());
	}

}
