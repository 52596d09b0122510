package io.eventgateway.configserver.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * A settings repository in a temporary folder, laid out as in production (files under
 * {@code config-repo/} on branch {@code main}), for tests of the git backend.
 */
public final class GitSettingsRepo implements AutoCloseable {

	private final Path directory;

	private final Git git;

	private GitSettingsRepo(Path directory, Git git) {
		this.directory = directory;
		this.git = git;
	}

	/** A new, empty repository under {@code parent}. */
	public static GitSettingsRepo create(Path parent) {
		try {
			Path directory = Files.createTempDirectory(parent, "settings-repo");
			return new GitSettingsRepo(directory,
					Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GitAPIException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes {@code config-repo/<file>} and commits it. */
	public void commit(String file, String content) {
		try {
			Path target = this.directory.resolve("config-repo").resolve(file);
			Files.createDirectories(target.getParent());
			Files.writeString(target, content);
			this.git.add().addFilepattern("config-repo/" + file).call();
			this.git.commit()
				.setMessage("Change " + file)
				.setAuthor("settings", "settings@example.invalid")
				.setCommitter("settings", "settings@example.invalid")
				.setSign(false)
				.call();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GitAPIException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The repository's address for {@code spring.cloud.config.server.git.uri}. */
	public String uri() {
		return this.directory.toUri().toString();
	}

	@Override
	public void close() {
		this.git.close();
	}

}
