package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.common.event.Priority;

/** What every load generator needs of ingest's HTTP API: event types and the answers. */
public final class IngestRequests {

	private static final Pattern ACCEPTED = Pattern
		.compile("\\{\"index\":\\d+,\"event_id\":\"([^\"]+)\",\"status\":\"accepted\"");

	private IngestRequests() {
	}

	/** An event type the default classifier rules give this priority. */
	public static String eventType(Priority priority, String suffix) {
		return switch (priority) {
			case P30 -> "trigger.";
			case P20 -> "interactive.";
			case P10 -> "bulk.";
		} + suffix;
	}

	/** The ids of the events an answer of {@code POST /v1/events} says were accepted. */
	public static List<String> acceptedIds(String answer) {
		List<String> ids = new ArrayList<>();
		Matcher matcher = ACCEPTED.matcher(answer);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

}
