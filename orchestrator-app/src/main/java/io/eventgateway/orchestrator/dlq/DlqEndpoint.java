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
 * as ISO-8601 instants, {@code limit}); {@code GET /actuator/dlq/{id}} shows the letters
 * a {@code partition:offset} or an event id names; {@code POST} redrives the letters the
 * same parameters (or {@code ids}, comma-separated) select, as a dry run unless
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

	/** The letters a {@code partition:offset} or an event id names. */
	@ReadOperation
	public List<DeadLetter> show(@Selector String id) {
		return this.reader.show(id);
	}

	/**
	 * Redrives the letters the ids, or else the criteria, select; a dry run unless
	 * {@code dryRun} is {@code false}. Without ids or any criterion it refuses, so that
	 * no stray call redrives the whole topic.
	 */
	@WriteOperation
	public RedriveReport redrive(@Nullable String type, @Nullable String company, @Nullable String error,
			@Nullable Instant since, @Nullable Instant until, @Nullable Integer limit, @Nullable String ids,
			@Nullable Boolean dryRun) {
		boolean dry = (dryRun == null) || dryRun;
		if (ids != null && !ids.isBlank()) {
			return this.redriver.redriveIds(List.of(ids.split(",")), dry);
		}
		if (type == null && company == null && error == null && since == null && until == null) {
			String reason = "Select the letters to redrive: ids, or at least one of type, company, error, since, until";
			throw new InvalidEndpointRequestException(reason, reason);
		}
		return this.redriver.redrive(filter(type, company, error, since, until, limit), dry);
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
