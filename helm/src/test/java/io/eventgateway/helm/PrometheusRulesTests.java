package io.eventgateway.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The chart's PrometheusRule, checked by Prometheus's own {@code promtool}: its
 * {@code spec} is written as a plain rules file, which {@code promtool check rules}
 * validates and the unit tests under {@code src/test/promtool/<values>} exercise, every
 * alert firing on its condition and silent on healthy series. Without promtool on the
 * {@code PATH} the test fails, naming the package that brings it.
 */
class PrometheusRulesTests {

	/** The name the unit tests' {@code rule_files} give the rendered rules. */
	private static final String RULES_FILE = "event-gateway-rules.yaml";

	private static final Path UNIT_TESTS = Path.of("src/test/promtool");

	private static final Path WORK = Path.of("target/promtool");

	@Test
	void theRulesOfTheDefaultValuesPassPromtoolAndTheirUnitTests() throws Exception {
		checkAndTest("default", null);
	}

	@Test
	void theRulesOfTwoFleetsPassPromtoolAndTheirUnitTests() throws Exception {
		checkAndTest("two-fleet", Path.of("src/test/resources/two-fleet-values.yaml"));
	}

	private static void checkAndTest(String name, Path valuesFile) throws Exception {
		Path directory = WORK.resolve(name);
		Files.createDirectories(directory);
		Map<String, Object> rule = Chart.render(valuesFile, "alerts.enabled", true).one("PrometheusRule", "alerts");
		Files.writeString(directory.resolve(RULES_FILE), rulesFile(rule), StandardCharsets.UTF_8);
		List<String> unitTests = copyUnitTests(UNIT_TESTS.resolve(name), directory);
		assertThat(unitTests).as("promtool unit tests in " + UNIT_TESTS.resolve(name)).isNotEmpty();

		// Lint findings (duplicate rules) fail too: promtool would only print them.
		promtool(directory, List.of("check", "rules", "--lint=all", "--lint-fatal", RULES_FILE));
		List<String> test = new ArrayList<>(List.of("test", "rules"));
		test.addAll(unitTests);
		promtool(directory, test);
	}

	/** The PrometheusRule's spec (its groups) as a rules file Prometheus loads. */
	private static String rulesFile(Map<String, Object> rule) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setWidth(Integer.MAX_VALUE);
		return new Yaml(options).dump(Chart.at(rule, "spec"));
	}

	/**
	 * Copies the unit tests next to the rules file, so their rule_files paths resolve.
	 */
	private static List<String> copyUnitTests(Path from, Path to) throws IOException {
		List<String> names = new ArrayList<>();
		try (Stream<Path> files = Files.list(from)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yaml")).sorted().toList()) {
				Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
				names.add(file.getFileName().toString());
			}
		}
		return names;
	}

	private static void promtool(Path directory, List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add("promtool");
		command.addAll(arguments);
		// Output to a file, not a pipe: a full pipe would block promtool.
		Path log = directory.resolve("promtool-" + arguments.get(0) + ".log");
		Process process;
		try {
			process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toAbsolutePath().toFile())
				.start();
		}
		catch (IOException ex) {
			fail("promtool is not on the PATH; it checks the chart's alert rules. Install it with "
					+ "'apt-get install -y prometheus' (Debian, Ubuntu) or from the Prometheus release tarball ("
					+ ex.getMessage() + ")");
			return;
		}
		boolean exited = process.waitFor(3, TimeUnit.MINUTES);
		String output = Files.readString(log, StandardCharsets.UTF_8);
		if (!exited) {
			process.destroyForcibly();
			fail("promtool " + String.join(" ", arguments) + " did not finish in 3 minutes:\n" + output);
		}
		assertThat(process.exitValue()).as("promtool %s in %s:%n%s", String.join(" ", arguments), directory, output)
			.isZero();
	}

}
