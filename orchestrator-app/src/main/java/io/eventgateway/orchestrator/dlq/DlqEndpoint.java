package io.eventgateway.orchestrator.dlq;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/dlq}: the dead letters for an operator. {@code GET} lists them (query
 * parameters {@code type}, {@code company}, {@code error}, {@code since}, {@code until}
 * as ISO-8601 instants, {@code limit} from 1 to {@value DeadLetterFilter#MAX_LIMIT},
 * default {@value DeadLetterFilter#DEFAULT_LIMIT}); {@code GET
 * /actuator/dlq/position/{partition:offset}} and {@code GET /actuator/dlq/event/{event
 * id}} show the letters named; {@code POST} redrives the letters the same parameters (or
 * {@code positions} and {@code events}, comma-separated) select, as a dry run unless
 * {@code dryRun} is {@code false}. Behind the management port's HTTP Basic, like every
 * endpoint other than health, info and prometheus.
 */
@Endpoint(id = "dlq")
public class DlqEndpoint {

	private final DeadLetterReader reader;

	private final DeadLetterRedriver redriver;

	public DlqEndpoint(DeadLetterReader reader, DeadLetterRedriver redriver) {
		this.reader = reader;
		this.redriver = redriver;
	}

	/** The letters the parameters select, the oldest first. */
	@ReadOperation
	public List<DeadLetter> list(@Nullable String type, @Nullable String company, @Nullable String error,
			@Nullable Instant since, @Nullable Instant until, @Nullable Integer limit) {
		return this.reader.list(filter(type, company, error, since, until, limit));
	}

	/**
	 * The letter at a position ({@code kind} {@code position}, {@code partition:offset})
	 * or the letters of an event ({@code kind} {@code event}).
	 */
	@ReadOperation
	public List<DeadLetter> show(@Selector String kind, @Selector String value) {
		return this.reader.show(refs(("position".equals(kind)) ? value : null, ("event".equals(kind)) ? value : null,
				"position".equals(kind) || "event".equals(kind)));
	}

	/**
	 * Redrives the letters the ids, or else the criteria, select; a dry run unless
	 * {@code dryRun} is {@code false}. Without ids or any criterion it refuses, so that
	 * no stray call redrives the whole topic.
	 */
	@WriteOperation
	public RedriveReport redrive(@Nullable String type, @Nullable String company, @Nullable String error,
			@Nullable Instant since, @Nullable Instant until, @Nullable Integer limit, @Nullable String positions,
			@Nullable String events, @Nullable Boolean dryRun) {
		boolean dry = (dryRun == null) || dryRun;
		LetterRefs refs = refs(positions, events, true);
		if (!refs.isEmpty()) {
			return this.redriver.redrive(refs, dry);
		}
		if (type == null && company == null && error == null && since == null && until == null) {
			String reason = "Select the letters to redrive: positions, events, or at least one of type, company,"
					+ " error, since, until";
			throw new InvalidEndpointRequestException(reason, reason);
		}
		return this.redriver.redrive(filter(type, company, error, since, until, limit), dry);
	}

	private static LetterRefs refs(@Nullable String positions, @Nullable String events, boolean known) {
		if (!known) {
			String reason = "Name letters by /position/<partition>:<offset> or /event/<event id>";
			throw new InvalidEndpointRequestException(reason, reason);
		}
		try {
			return LetterRefs.of(split(positions), split(events));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private static List<String> split(@Nullable String values) {
		return (values == null || values.isBlank()) ? List.of() : List.of(values.split(","));
	}

	private static DeadLetterFilter filter(@Nullable String type, @Nullable String company, @Nullable String error,
			@Nullable Instant since, @Nullable Instant until, @Nullable Integer limit) {
		try {
			return new DeadLetterFilter(type, company, error, since, until,
					(limit != null) ? limit : DeadLetterFilter.DEFAULT_LIMIT);
		}
		catch (IllegalArgumentException ex) {
			// A bad limit or time range is the caller's mistake: 400, not 500.
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

}
