package io.eventgateway.ingest.event;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;

class BatchVerdictTests {

	private static final EventOutcome ACCEPTED = EventOutcome.accepted(0, "a", Priority.P10);

	private static final EventOutcome INVALID = EventOutcome.invalid(1, null,
			List.of(FieldError.ofEvent(1, "company_id", "is required")));

	private static final EventOutcome FAILED = EventOutcome.failed(2, "c", "publisher unavailable");

	@Test
	void anyAcceptedEventMakesTheBatchAccepted() {
		assertThat(BatchVerdict.of(List.of(INVALID, ACCEPTED, FAILED))).isEqualTo(BatchVerdict.ACCEPTED);
	}

	@Test
	void onlyInvalidEventsMakeTheBatchInvalid() {
		assertThat(BatchVerdict.of(List.of(INVALID, INVALID))).isEqualTo(BatchVerdict.INVALID);
	}

	@Test
	void aValidEventThatCouldNotBeStoredMakesTheBatchUnavailable() {
		assertThat(BatchVerdict.of(List.of(INVALID, FAILED))).isEqualTo(BatchVerdict.UNAVAILABLE);
	}

}
