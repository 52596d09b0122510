package io.eventgateway.standalone;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.configserver.test.GitSettingsRepo;

/** A config server on the git backend (as in production), in this JVM. */
final class TestConfigServer {

	private TestConfigServer() {
	}

	static EmbeddedConfigServer start(GitSettingsRepo repo) {
		return EmbeddedConfigServer.start(0, "--spring.profiles.active=git",
				"--spring.cloud.config.server.git.uri=" + repo.uri());
	}

	/** A role's arguments plus those pointing it at the server. */
	static List<String> withImport(EmbeddedConfigServer server, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(server.clientArgs());
		return all;
	}

}
