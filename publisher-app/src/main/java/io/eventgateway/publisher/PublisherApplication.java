package io.eventgateway.publisher;

import io.eventgateway.common.autoconfigure.GatewayApplications;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The publisher role: the gateway's Kafka producer proxy. */
@SpringBootApplication
public class PublisherApplication {

	/** The role name: the application name and the name of its settings file. */
	public static final String ROLE = "publisher-app";

	public static void main(String[] args) {
		GatewayApplications.builder(PublisherApplication.class, ROLE).run(args);
	}

}
