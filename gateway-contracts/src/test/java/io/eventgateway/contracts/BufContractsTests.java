package io.eventgateway.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contracts pass {@code buf lint} and {@code buf breaking} against the last release,
 * and a wire-incompatible change is caught: this is what makes a breaking change fail the
 * build.
 */
class BufContractsTests {

	private static final Path MODULE = Path.of("").toAbsolutePath();

	private final BufCli buf = BufCli.fromBuild();

	private final Path lastRelease = Path.of(System.getProperty("buf.against"));

	@Test
	void contractsPassTheStandardLintRules() throws Exception {
		BufCli.Result lint = this.buf.run(MODULE, "lint");

		assertThat(lint.exitCode()).as(lint.output()).isZero();
	}

	@Test
	void contractsAreCompatibleWithTheLastRelease() throws Exception {
		assertThat(this.lastRelease).isRegularFile();

		BufCli.Result breaking = this.buf.run(MODULE, "breaking", "--against", this.lastRelease.toString());

		assertThat(breaking.exitCode()).as(breaking.output()).isZero();
	}

	@Test
	void changingAFieldNumberFailsTheBreakingCheck(@TempDir Path copy) throws Exception {
		copyContracts(copy);
		Path eventProto = copy.resolve("src/main/proto/eventgateway/v1/event.proto");
		String original = Files.readString(eventProto);
		String renumbered = original.replace("string event_id = 1;", "string event_id = 99;");
		assertThat(renumbered).as("event.proto declares event_id as field 1").isNotEqualTo(original);
		Files.writeString(eventProto, renumbered);

		BufCli.Result breaking = this.buf.run(copy, "breaking", "--against", this.lastRelease.toString());

		assertThat(breaking.exitCode()).isNotZero();
		assertThat(breaking.output()).contains("event.proto")
			.contains("Previously present field \"1\" with name \"event_id\" on message \"Event\" was deleted");
	}

	/** The buf.yaml and the proto sources, in the same layout as in this module. */
	private static void copyContracts(Path target) throws IOException {
		Files.copy(MODULE.resolve("buf.yaml"), target.resolve("buf.yaml"));
		Path protos = MODULE.resolve("src/main/proto");
		try (Stream<Path> files = Files.walk(protos)) {
			for (Path source : (Iterable<Path>) files::iterator) {
				Path destination = target.resolve("src/main/proto").resolve(protos.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
	}

}
