package io.eventgateway.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.configserver.ConfigServerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The config server in this JVM, serving the hot settings to the roles beside it.
 *
 * <p>
 * Every role's library shares its classpath here, so what would otherwise start with it
 * (topic creation, the bus, a gRPC server, the config client) is switched off for it; and
 * the config server's library turns the config client off in every application on its
 * classpath, so the roles are told to turn theirs back on.
 */
public final class EmbeddedConfigServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private EmbeddedConfigServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Serves a folder of settings files (the native backend), on a port (0: any). */
	public static EmbeddedConfigServer serving(Path folder, int port) {
		return start(port, "--spring.profiles.active=native",
				"--spring.cloud.config.server.native.search-locations=" + folder.toAbsolutePath().toUri());
	}

	/** Starts a config server with these backend arguments, on a port (0: any). */
	public static EmbeddedConfigServer start(int port, String... backendArgs) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--spring.main.banner-mode=off",
				"--spring.cloud.config.enabled=false", "--spring.cloud.bus.enabled=false",
				"--gateway.topics.create=false", "--spring.grpc.server.port=0"));
		args.addAll(List.of(backendArgs));
		return new EmbeddedConfigServer(
				new SpringApplicationBuilder(ConfigServerApplication.class).run(args.toArray(String[]::new)));
	}

	/** The address roles import their settings from. */
	public String url() {
		return "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	/** The arguments that point a role at this server. */
	public List<String> clientArgs() {
		return List.of("--CONFIG_SERVER_URL=" + url(), "--spring.cloud.config.enabled=true");
	}

	@Override
	public void close() {
		this.context.close();
	}

}
