package io.eventgateway.standalone.process;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts a Java main class of this application's classpath in a child JVM, whether this
 * JVM runs from an IDE or Maven (a flat classpath) or from Spring Boot's executable jar
 * (nested jars, loaded by its launcher).
 */
public final class ChildJvm {

	private ChildJvm() {
	}

	/**
	 * A process builder for {@code mainClass} with the given JVM options and program
	 * arguments.
	 */
	public static ProcessBuilder builder(List<String> jvmOptions, String mainClass, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(absoluteClassPath());
		if (runsFromExecutableJar()) {
			// Inside Spring Boot's executable jar the dependencies are nested: let its
			// launcher load them.
			command.add("-Dloader.main=" + mainClass);
			command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		else {
			command.add(mainClass);
		}
		command.addAll(args);
		return new ProcessBuilder(command);
	}

	/** This JVM's class path with every entry absolute, for a child in another folder. */
	private static String absoluteClassPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.map((entry) -> Path.of(entry).toAbsolutePath().toString())
			.collect(Collectors.joining(File.pathSeparator));
	}

	private static boolean runsFromExecutableJar() {
		return ChildJvm.class.getClassLoader().getClass().getName().startsWith("org.springframework.boot.loader");
	}

}
