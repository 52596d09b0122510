package io.eventgateway.standalone;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.configserver.ConfigServerApplication;
import io.eventgateway.configserver.test.GitSettingsRepo;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A config server on the git backend, in this JVM. The roles' libraries share its
 * classpath here, so what would start with them (topic creation, the bus, a gRPC server,
 * the config client) is switched off.
 */
final class TestConfigServer {

	private TestConfigServer() {
	}

	static ConfigurableApplicationContext start(GitSettingsRepo repo) {
		return new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=0",
				"--spring.profiles.active=git", "--spring.cloud.config.server.git.uri=" + repo.uri(),
				"--spring.main.banner-mode=off", "--spring.cloud.config.enabled=false",
				"--spring.cloud.bus.enabled=false", "--gateway.topics.create=false", "--spring.grpc.server.port=0");
	}

	/**
	 * A role's arguments plus those pointing it at this server. The config server's
	 * library turns the config client off in any application on its classpath, as all of
	 * them are in this JVM; a role deployed alone has no such library and needs only the
	 * address.
	 */
	static List<String> withImport(ConfigurableApplicationContext server, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--CONFIG_SERVER_URL=http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"));
		all.add("--spring.cloud.config.enabled=true");
		return all;
	}

}
