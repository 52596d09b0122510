package io.eventgateway.orchestrator.dlq;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Dead letters and redrive outcomes as text for a terminal. */
final class DeadLetterTable {

	/** Errors longer than this are cut in tables; {@code show} prints them whole. */
	private static final int ERROR_WIDTH = 60;

	private DeadLetterTable() {
	}

	static String letters(List<DeadLetter> letters) {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "ID", "DEAD-LETTERED", "EVENT", "TYPE", "COMPANY", "PRIO", "ORIGIN", "ATTEMPTS",
				"ERROR" });
		for (DeadLetter letter : letters) {
			rows.add(new String[] { letter.id(), letter.deadLetteredAt().toString(), text(letter.eventId()),
					text(letter.eventType()), text(letter.companyId()),
					(letter.priority() != null) ? letter.priority().name() : "-", origin(letter),
					(letter.attempts() >= 0) ? Long.toString(letter.attempts()) : "-", cut(letter.error()) });
		}
		return table(rows);
	}

	static String details(DeadLetter letter) {
		return "dead letter    " + letter.id() + "\n" + "dead-lettered  " + letter.deadLetteredAt() + "\n"
				+ "event          " + text(letter.eventId()) + "\n" + "type           " + text(letter.eventType())
				+ "\n" + "company        " + text(letter.companyId()) + "\n" + "priority       "
				+ ((letter.priority() != null) ? letter.priority().name() : "-") + "\n" + "origin         "
				+ origin(letter) + "\n" + "attempts       "
				+ ((letter.attempts() >= 0) ? Long.toString(letter.attempts()) : "-") + "\n" + "error          "
				+ text(letter.error()) + "\n\n";
	}

	static String outcomes(RedriveReport report) {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "ID", "EVENT", "STATUS", "TARGET", "DETAIL" });
		for (RedriveOutcome outcome : report.outcomes()) {
			rows.add(new String[] { outcome.letter().id(), text(outcome.letter().eventId()), outcome.status().name(),
					text(outcome.target()), outcome.detail() });
		}
		return table(rows) + (report.dryRun() ? "Dry run, nothing written: " : "Run " + report.run() + ": ")
				+ report.count(RedriveOutcome.Status.REDRIVEN) + " redriven, "
				+ report.count(RedriveOutcome.Status.WOULD_REDRIVE) + " would be redriven, "
				+ report.count(RedriveOutcome.Status.ALREADY_REDRIVEN) + " already redriven, "
				+ report.count(RedriveOutcome.Status.DUPLICATE) + " duplicates, "
				+ report.count(RedriveOutcome.Status.FAILED) + " failed\n";
	}

	private static String origin(DeadLetter letter) {
		if (letter.originTopic() == null) {
			return "-";
		}
		return letter.originTopic()
				+ ((letter.originPartition() >= 0) ? ":" + letter.originPartition() + ":" + letter.originOffset() : "");
	}

	private static String cut(@Nullable String error) {
		String text = text(error).replace('\n', ' ');
		return (text.length() <= ERROR_WIDTH) ? text : text.substring(0, ERROR_WIDTH - 1) + "…";
	}

	private static String text(@Nullable String value) {
		return (value == null || value.isEmpty()) ? "-" : value;
	}

	private static String table(List<String[]> rows) {
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder text = new StringBuilder();
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				text.append(row[i]);
				if (i < row.length - 1) {
					text.append(" ".repeat(widths[i] - row[i].length() + 2));
				}
			}
			text.append('\n');
		}
		return text.toString();
	}

}
