package io.eventgateway.standalone;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
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
 *
 * <p>
 * The server requires a client account: the one in {@code CONFIG_SERVER_USERNAME} /
 * {@code CONFIG_SERVER_PASSWORD} when both are set (so that an operator can call
 * {@code /encrypt} on it), else one generated at start; {@link #clientArgs()} hands it to
 * the roles.
 */
public final class EmbeddedConfigServer implements AutoCloseable {

	private static final String DEFAULT_USERNAME = "gateway-roles";

	private final ConfigurableApplicationContext context;

	private final String username;

	private final String password;

	private EmbeddedConfigServer(ConfigurableApplicationContext context, String username, String password) {
		this.context = context;
		this.username = username;
		this.password = password;
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
		String username = System.getenv("CONFIG_SERVER_USERNAME");
		String password = System.getenv("CONFIG_SERVER_PASSWORD");
		if (isBlank(username) || isBlank(password)) {
			username = DEFAULT_USERNAME;
			password = generatedPassword();
		}
		args.add("--gateway.config-server.username=" + username);
		args.add("--gateway.config-server.password=" + password);
		args.addAll(List.of(backendArgs));
		return new EmbeddedConfigServer(
				new SpringApplicationBuilder(ConfigServerApplication.class).run(args.toArray(String[]::new)), username,
				password);
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	private static String generatedPassword() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/** The address roles import their settings from. */
	public String url() {
		return "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	/** The arguments that point a role at this server, with its client account. */
	public List<String> clientArgs() {
		return List.of("--CONFIG_SERVER_URL=" + url(), "--spring.cloud.config.enabled=true",
				"--spring.cloud.config.username=" + this.username, "--spring.cloud.config.password=" + this.password);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
