package io.eventgateway.bench.series;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws a {@link Series} as an SVG file of four panels over the same time axis: events
 * per second (offered, accepted, processed), the backlog, P30 latency (p50, p99) and the
 * CPU cores each process kept busy, with the scenario's phases marked. Plain SVG text, so
 * that it shows in a browser and in a Markdown viewer without any library.
 */
public final class SeriesChart {

	private static final int WIDTH = 960;

	private static final int PANEL = 170;

	private static final int LEFT = 70;

	private static final int RIGHT = 170;

	private static final int TOP = 40;

	private static final int GAP = 40;

	private static final String[] COLOURS = { "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b",
			"#e377c2", "#17becf" };

	/**
	 * The shortest sample drawn as a rate: the last one, taken when the series stops, may
	 * cover a few milliseconds, and a few events over them would show as a spike.
	 */
	private static final double MIN_RATE_SECONDS = 0.2;

	private SeriesChart() {
	}

	private static double rate(SecondSample sample, long count) {
		return (sample.seconds() < MIN_RATE_SECONDS) ? Double.NaN : count / sample.seconds();
	}

	/** The chart of one series, as the text of an SVG file. */
	public static String svg(Series series) {
		List<SecondSample> samples = series.samples();
		int height = TOP + 4 * (PANEL + GAP);
		double end = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).at();
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
				WIDTH, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(text(LEFT, 20, escape(series.name()), "font-size=\"14\" font-weight=\"bold\""));
		panel(svg, 0, "events/s", samples, end,
				List.of(new Line("offered", (s) -> rate(s, s.offered())),
						new Line("accepted", (s) -> rate(s, s.accepted())),
						new Line("processed", (s) -> rate(s, s.processed()))));
		panel(svg, 1, "backlog (events)", samples, end, List.of(new Line("backlog", SecondSample::backlog)));
		panel(svg, 2, "P30 latency ms", samples, end,
				List.of(new Line("p50", SecondSample::p30P50Millis), new Line("p99", SecondSample::p30P99Millis)));
		panel(svg, 3, "CPU cores", samples, end,
				series.processes()
					.stream()
					.map((process) -> new Line(process.name(),
							(s) -> (s.seconds() < MIN_RATE_SECONDS) ? Double.NaN : s.cores(process.name())))
					.toList());
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void panel(StringBuilder svg, int index, String title, List<SecondSample> samples, double end,
			List<Line> lines) {
		int top = TOP + index * (PANEL + GAP);
		int bottom = top + PANEL;
		int plotWidth = WIDTH - LEFT - RIGHT;
		double max = 0;
		for (Line line : lines) {
			for (SecondSample sample : samples) {
				double value = line.value().applyAsDouble(sample);
				if (!Double.isNaN(value)) {
					max = Math.max(max, value);
				}
			}
		}
		max = niceCeiling(max);
		svg.append(text(LEFT, top - 8, escape(title), "font-weight=\"bold\""));
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top,
				plotWidth, PANEL));
		for (int tick = 0; tick <= 4; tick++) {
			double y = bottom - PANEL * tick / 4.0;
			svg.append(
					String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
							LEFT, y, LEFT + plotWidth, y));
			svg.append(text(LEFT - 6, y + 4, number(max * tick / 4), "text-anchor=\"end\""));
		}
		for (int tick = 0; tick <= 10; tick++) {
			double x = LEFT + plotWidth * tick / 10.0;
			svg.append(text(x, bottom + 14, number(end * tick / 10) + "s", "text-anchor=\"middle\""));
		}
		String previous = null;
		for (SecondSample sample : samples) {
			if (!sample.phase().equals(previous)) {
				double x = LEFT + plotWidth * (sample.at() - sample.seconds()) / end;
				svg.append(String.format(Locale.ROOT,
						"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>%n",
						x, top, x, bottom));
				if (index == 0) {
					svg.append(text(x + 3, top + 12, escape(sample.phase()), "fill=\"#666\""));
				}
				previous = sample.phase();
			}
		}
		for (int i = 0; i < lines.size(); i++) {
			Line line = lines.get(i);
			String colour = COLOURS[i % COLOURS.length];
			StringBuilder path = new StringBuilder();
			boolean pen = false;
			for (SecondSample sample : samples) {
				double value = line.value().applyAsDouble(sample);
				if (Double.isNaN(value)) {
					pen = false;
					continue;
				}
				double x = LEFT + plotWidth * sample.at() / end;
				double y = bottom - ((max > 0) ? PANEL * value / max : 0);
				path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
				pen = true;
			}
			if (path.length() > 0) {
				svg.append(String.format(Locale.ROOT,
						"<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path.toString().trim(),
						colour));
			}
			int legendY = top + 14 + 16 * i;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
					LEFT + plotWidth + 10, legendY - 4, LEFT + plotWidth + 28, legendY - 4, colour));
			svg.append(text(LEFT + plotWidth + 32, legendY, escape(line.name()), ""));
		}
	}

	/** 1, 2 or 5 times a power of ten, at least the value (1 for nothing). */
	static double niceCeiling(double value) {
		if (value <= 0) {
			return 1;
		}
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 5, 10 }) {
			if (step * power >= value) {
				return step * power;
			}
		}
		return 10 * power;
	}

	private static String number(double value) {
		if (value >= 10_000) {
			return String.format(Locale.ROOT, "%.0fk", value / 1000);
		}
		return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	private static String text(double x, double y, String content, String attributes) {
		return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes, content);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private record Line(String name, ToDoubleFunction<SecondSample> value) {
	}

}
