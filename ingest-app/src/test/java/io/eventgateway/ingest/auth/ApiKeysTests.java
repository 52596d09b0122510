package io.eventgateway.ingest.auth;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeysTests {

	private final ApiKeys keys = new ApiKeys(Map.of("key-1", "acme"));

	@Test
	void aKnownKeySpeaksForItsCompany() {
		assertThat(this.keys.required()).isTrue();
		assertThat(this.keys.companyFor("key-1")).isEqualTo("acme");
	}

	@Test
	void aMissingOrUnknownKeyIsUnauthenticated() {
		assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> this.keys.companyFor(null))
			.satisfies((ex) -> assertThat(ex.authenticated()).isFalse())
			.withMessage("X-Api-Key: is required");
		assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> this.keys.companyFor("nope"))
			.withMessage("X-Api-Key: is not a known API key");
	}

	@Test
	void withoutKeysEveryRequestIsOpen() {
		ApiKeys open = new ApiKeys(Map.of());
		assertThat(open.required()).isFalse();
		assertThat(open.companyFor(null)).isNull();
	}

	@Test
	void eventsWithoutACompanyGetTheKeysCompany() {
		List<Candidate> attributed = ApiKeys.attribute("acme", List.of(Candidate.valid(0, event(null)),
				Candidate.valid(1, event("acme")), Candidate.invalid(2, List.of(new FieldError("events[2]", "bad")))));
		assertThat(attributed.get(0).event().companyId()).isEqualTo("acme");
		assertThat(attributed.get(1).event().companyId()).isEqualTo("acme");
		assertThat(attributed.get(2).isValid()).isFalse();
	}

	@Test
	void anEventOfAnotherCompanyIsForbidden() {
		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> ApiKeys.attribute("acme", List.of(Candidate.valid(0, event("globex")))))
			.satisfies((ex) -> assertThat(ex.authenticated()).isTrue())
			.withMessage("events[0].company_id: does not match the company of the API key");
	}

	@Test
	void openRequestsKeepTheirOwnCompany() {
		List<Candidate> candidates = List.of(Candidate.valid(0, event("globex")));
		assertThat(ApiKeys.attribute(null, candidates)).isSameAs(candidates);
	}

	private static RawEvent event(String company) {
		return new RawEvent(null, company, "t", "s", new byte[0], null);
	}

}
