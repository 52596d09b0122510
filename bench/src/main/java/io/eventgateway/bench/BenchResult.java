package io.eventgateway.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.eventgateway.bench.series.Series;
import io.eventgateway.bench.series.SeriesChart;

/**
 * What one scenario measured: the machine, the settings it ran with, its figures, how
 * many accepted events it lost (which must be 0) and any other check it failed.
 *
 * @param scenario the scenario's name
 * @param settings what it ran with
 * @param figures what it measured, in reading order
 * @param lost accepted events never processed
 * @param failures the checks it failed, each in a sentence; empty when it passed
 * @param series its per-second series, one per run; empty for a scenario that keeps none
 */
public record BenchResult(String scenario, Map<String, Object> settings, Map<String, Object> figures, long lost,
		List<String> failures, List<Series> series) {

	public BenchResult {
		series = List.copyOf(series);
	}

	/** A result whose only check is the count of lost events. */
	public BenchResult(String scenario, Map<String, Object> settings, Map<String, Object> figures, long lost) {
		this(scenario, settings, figures, lost, List.of());
	}

	/** A result with no series. */
	public BenchResult(String scenario, Map<String, Object> settings, Map<String, Object> figures, long lost,
			List<String> failures) {
		this(scenario, settings, figures, lost, failures, List.of());
	}

	/** Whether every check held: nothing lost, nothing failed. */
	public boolean passed() {
		return this.lost == 0 && this.failures.isEmpty();
	}

	/** The machine this ran on. */
	static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
		machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
		machine.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
		return machine;
	}

	/** Writes {@code <scenario>.json} and {@code <scenario>.md} into a folder. */
	void write(Path folder) throws IOException {
		Files.createDirectories(folder);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("scenario", this.scenario);
		json.put("finishedAt", Instant.now().toString());
		json.put("machine", machine());
		json.put("settings", this.settings);
		json.put("figures", this.figures);
		json.put("lostEvents", this.lost);
		json.put("verdict", passed() ? "pass" : "fail");
		json.put("failures", this.failures);
		if (!this.series.isEmpty()) {
			json.put("series", this.series.stream().map(Series::toJson).toList());
		}
		Files.writeString(folder.resolve(this.scenario + ".json"),
				JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(json));
		for (int i = 0; i < this.series.size(); i++) {
			Files.writeString(folder.resolve(chartFile(i)), SeriesChart.svg(this.series.get(i)));
		}
		Files.writeString(folder.resolve(this.scenario + ".md"), markdown());
	}

	/**
	 * The chart of the series of run {@code index}: {@code <scenario>.svg}, then -run2...
	 */
	String chartFile(int index) {
		return this.scenario + ((index == 0) ? "" : "-run" + (index + 1)) + ".svg";
	}

	/** The figures as a short Markdown table. */
	public String markdown() {
		StringBuilder table = new StringBuilder("### " + this.scenario + "\n\n| figure | value |\n|---|---|\n");
		this.figures.forEach(
				(name, value) -> table.append("| ").append(name).append(" | ").append(format(value)).append(" |\n"));
		table.append("| lost events | ").append(this.lost).append(" |\n\nVerdict: ").append(passed() ? "pass" : "FAIL");
		this.failures.forEach((failure) -> table.append("\n- ").append(failure));
		for (int i = 0; i < this.series.size(); i++) {
			table.append((i == 0) ? "\n\n" : "\n")
				.append("![")
				.append(this.series.get(i).name())
				.append("](")
				.append(chartFile(i))
				.append(')');
		}
		table.append("\n\nMachine: ")
			.append(machine().get("cores"))
			.append(" cores, ")
			.append(machine().get("jvm"))
			.append("; settings: ")
			.append(this.settings)
			.append('\n');
		return table.toString();
	}

	private static String format(Object value) {
		if (value instanceof Double number) {
			return (Math.abs(number) >= 100) ? String.format("%,.0f", number) : String.format("%.3f", number);
		}
		// A value is one table cell: a bar or a line break would end it early.
		return String.valueOf(value).replace("|", "\\|").replace('\n', ' ');
	}

}
