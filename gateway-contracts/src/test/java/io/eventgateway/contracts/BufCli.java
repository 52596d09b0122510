package io.eventgateway.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the buf CLI that the build installed (its path comes from the
 * {@code buf.executable} system property set by Surefire).
 *
 * @param executable the buf launcher
 */
record BufCli(Path executable) {

	/**
	 * Generous: buf answers in about a second, the bound only keeps a hung run from
	 * hanging the build.
	 */
	private static final long TIMEOUT_SECONDS = 60;

	static BufCli fromBuild() {
		String property = System.getProperty("buf.executable");
		if (property == null || !Files.isExecutable(Path.of(property))) {
			throw new IllegalStateException("buf.executable (" + property
					+ ") is not an executable; run the tests through Maven, which installs buf from npm");
		}
		return new BufCli(Path.of(property));
	}

	/**
	 * Runs buf in a directory and waits for it.
	 * @param workingDirectory where buf looks for its buf.yaml
	 * @param arguments the buf command and its flags
	 * @return the exit code and everything buf printed
	 */
	Result run(Path workingDirectory, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		command.addAll(List.of(arguments));
		// Into a file, not a pipe: a pipe must be read while buf runs, and a read that
		// waits for the end would outlast the timeout when buf hangs.
		Path log = Files.createTempFile("buf", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"buf " + String.join(" ", arguments) + " did not finish in " + TIMEOUT_SECONDS + " s");
			}
			return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

	/**
	 * What one buf run ended with.
	 *
	 * @param exitCode 0 when buf found nothing to complain about
	 * @param output standard output and error, interleaved
	 */
	record Result(int exitCode, String output) {

	}

}
