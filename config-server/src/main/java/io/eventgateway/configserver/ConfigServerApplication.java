package io.eventgateway.configserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.config.server.EnableConfigServer;

/** Serves the gateway's hot settings from {@code config-repo/} to every role. */
// Where the server shares a JVM with the roles (the standalone launcher, bench), the
// roles'
// actuator lock must not join its own: the server's chain already covers every request.
@SpringBootApplication(excludeName = "io.eventgateway.common.autoconfigure.ManagementSecurityAutoConfiguration")
@EnableConfigServer
public class ConfigServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConfigServerApplication.class, args);
	}

}
