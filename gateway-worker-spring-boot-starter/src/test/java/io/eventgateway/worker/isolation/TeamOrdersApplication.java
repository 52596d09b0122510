package io.eventgateway.worker.isolation;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;

import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A team's own application that also processes gateway events: its own security rules,
 * its own Kafka template with its own serializers, its own endpoints. The starter must
 * leave all of them as they are.
 */
@SpringBootApplication
public class TeamOrdersApplication {

	@Bean
	EventProcessor orders() {
		return (event) -> {
		};
	}

	/** The team's rule: its order API needs a login, the rest is open. */
	@Bean
	SecurityFilterChain teamSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/orders/**").authenticated().anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	/** The team's own template, for its own order records. */
	@Bean
	KafkaTemplate<String, String> orderTemplate(KafkaProperties kafka) {
		Map<String, Object> settings = new HashMap<>(kafka.buildProducerProperties());
		return new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(settings, new StringSerializer(), new StringSerializer()));
	}

	@RestController
	static class OrdersController {

		@GetMapping("/orders/latest")
		String latest() {
			return "order-1";
		}

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
