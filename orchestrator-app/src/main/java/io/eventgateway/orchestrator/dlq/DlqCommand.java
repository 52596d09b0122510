package io.eventgateway.orchestrator.dlq;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The {@code dlq} command line: {@code dlq list|show|redrive [options]}, parsed before
 * anything starts so that a typo is refused rather than read as a wider selection.
 * Options with a dot in their name ({@code --spring.kafka.bootstrap-servers=...}) are
 * settings, handed to the application.
 *
 * @param action what to do
 * @param filter the selection by criteria
 * @param refs letters named by position ({@code --position}) or event id
 * ({@code --event})
 * @param all whether {@code redrive} may select by the limit alone
 * @param dryRun whether {@code redrive} only reports
 * @param settings the arguments that are settings
 */
public record DlqCommand(Action action, DeadLetterFilter filter, LetterRefs refs, boolean all, boolean dryRun,
		List<String> settings) {

	/** The first argument that runs the command instead of the orchestrator. */
	public static final String NAME = "dlq";

	/** How to call it. */
	public static final String USAGE = """
			usage: orchestrator-app dlq list    [--type=T] [--company=C] [--error=TEXT] [--since=WHEN] [--until=WHEN] [--limit=N]
			       orchestrator-app dlq show    (--position=P:O[,P:O...] | --event=ID[,ID...])
			       orchestrator-app dlq redrive (--position=... | --event=... | criteria as for list | --all) [--limit=N] [--dry-run]
			       orchestrator-app dlq release --position=P:O[,P:O...]   (a claimed letter whose event was not written)
			WHEN is an ISO-8601 instant (2026-01-31T12:00:00Z) or an age before now (90s, 15m, 2h, 3d).
			N is from 1 to %d (default %d).
			Settings as for the orchestrator (--spring.kafka.bootstrap-servers=..., --gateway.topics.prefix=...)."""
		.formatted(DeadLetterFilter.MAX_LIMIT, DeadLetterFilter.DEFAULT_LIMIT);

	private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

	/** The sub-commands. */
	public enum Action {

		/** A table of the selected letters. */
		LIST,

		/** Every detail of the named letters. */
		SHOW,

		/** Write the selected letters back to their topic. */
		REDRIVE,

		/** Free claimed letters whose events were not written. */
		RELEASE

	}

	/**
	 * Parses the arguments, {@code dlq} first.
	 * @throws IllegalArgumentException naming the argument that is wrong
	 */
	public static DlqCommand parse(String[] args, Clock clock) {
		List<String> settings = new ArrayList<>();
		List<String> positional = new ArrayList<>();
		List<String> positions = new ArrayList<>();
		List<String> events = new ArrayList<>();
		String type = null;
		String company = null;
		String error = null;
		Instant since = null;
		Instant until = null;
		int limit = DeadLetterFilter.DEFAULT_LIMIT;
		boolean all = false;
		boolean dryRun = false;
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				positional.add(arg);
				continue;
			}
			int equals = arg.indexOf('=');
			String name = arg.substring(2, (equals < 0) ? arg.length() : equals);
			String value = (equals < 0) ? null : arg.substring(equals + 1);
			if (name.contains(".")) {
				settings.add(arg);
				continue;
			}
			switch (name) {
				case "type" -> type = required(name, value);
				case "company" -> company = required(name, value);
				case "error" -> error = required(name, value);
				case "since" -> since = instant(name, required(name, value), clock);
				case "until" -> until = instant(name, required(name, value), clock);
				case "limit" -> limit = limit(required(name, value));
				case "position" -> positions.addAll(List.of(required(name, value).split(",")));
				case "event" -> events.addAll(List.of(required(name, value).split(",")));
				case "all" -> all = true;
				case "dry-run" -> dryRun = true;
				default -> throw new IllegalArgumentException("Unknown option --" + name);
			}
		}
		if (positional.size() != 2 || !NAME.equals(positional.get(0))) {
			throw new IllegalArgumentException((positional.size() > 2)
					? "Name letters with --position=<partition>:<offset> or --event=<event id>, not "
							+ positional.subList(2, positional.size())
					: "Say what to do: dlq list, dlq show, dlq redrive or dlq release");
		}
		Action action = action(positional.get(1));
		LetterRefs refs;
		try {
			refs = LetterRefs.of(positions, events);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--" + ex.getMessage());
		}
		if (action == Action.SHOW && refs.isEmpty()) {
			throw new IllegalArgumentException("dlq show needs --position=<partition>:<offset> or --event=<event id>");
		}
		if (action == Action.LIST && !refs.isEmpty()) {
			throw new IllegalArgumentException("dlq list takes no --position or --event (use dlq show)");
		}
		if (action == Action.RELEASE && (refs.positions().isEmpty() || !refs.eventIds().isEmpty())) {
			throw new IllegalArgumentException("dlq release takes --position=<partition>:<offset> only");
		}
		DeadLetterFilter filter = new DeadLetterFilter(type, company, error, since, until, limit);
		if (action == Action.REDRIVE && refs.isEmpty() && !all && type == null && company == null && error == null
				&& since == null && until == null) {
			throw new IllegalArgumentException("dlq redrive needs --position, --event, a criterion (--type, --company,"
					+ " --error, --since, --until) or --all");
		}
		return new DlqCommand(action, filter, refs, all, dryRun, List.copyOf(settings));
	}

	/**
	 * Runs the command and prints its result.
	 * @return the exit status: 0 when done, 1 when a letter failed to redrive or release
	 * or none was found to show
	 */
	public int run(DeadLetterReader reader, DeadLetterRedriver redriver, PrintStream out) {
		switch (this.action) {
			case LIST -> {
				List<DeadLetter> letters = reader.list(this.filter);
				out.print(DeadLetterTable.letters(letters));
				out.println(letters.size() + " dead letters of " + reader.topic()
						+ ((letters.size() == this.filter.limit()) ? " (limit reached: --limit for more)" : ""));
				return 0;
			}
			case SHOW -> {
				List<DeadLetter> letters = reader.show(this.refs);
				letters.forEach((letter) -> out.print(DeadLetterTable.details(letter)));
				if (letters.isEmpty()) {
					out.println("No dead letter of " + reader.topic() + " at " + this.refs.positions()
							+ " or of events " + this.refs.eventIds());
					return 1;
				}
				return 0;
			}
			case RELEASE -> {
				Map<String, String> results = redriver.release(this.refs.positions());
				results.forEach((position, result) -> out.println(position + ": " + result));
				return results.values().stream().anyMatch((result) -> result.startsWith("could not")) ? 1 : 0;
			}
			default -> {
				RedriveReport report = this.refs.isEmpty() ? redriver.redrive(this.filter, this.dryRun)
						: redriver.redrive(this.refs, this.dryRun);
				out.print(DeadLetterTable.outcomes(report));
				return report.succeeded() ? 0 : 1;
			}
		}
	}

	private static Action action(String text) {
		try {
			return Action.valueOf(text.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown dlq action '" + text + "': list, show, redrive or release");
		}
	}

	private static String required(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("--" + name + " needs a value (--" + name + "=...)");
		}
		return value;
	}

	private static int limit(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--limit must be a number, was " + value);
		}
	}

	private static Instant instant(String name, String value, Clock clock) {
		Matcher age = AGE.matcher(value);
		if (age.matches()) {
			try {
				long amount = Long.parseLong(age.group(1));
				Duration duration = switch (age.group(2)) {
					case "s" -> Duration.ofSeconds(amount);
					case "m" -> Duration.ofMinutes(amount);
					case "h" -> Duration.ofHours(amount);
					default -> Duration.ofDays(amount);
				};
				return clock.instant().minus(duration);
			}
			catch (NumberFormatException | ArithmeticException | DateTimeException ex) {
				throw new IllegalArgumentException("--" + name + " is too far back: " + value);
			}
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("--" + name
					+ " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or an age (15m, 2h, 3d), was " + value);
		}
	}

}
