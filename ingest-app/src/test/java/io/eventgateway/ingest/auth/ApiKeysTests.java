package io.eventgateway.ingest.auth;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
	void aKeyConfiguredAsItsDigestSpeaksForItsCompany() {
		ApiKeys digested = new ApiKeys(Map.of(ApiKeys.digestSetting("key-2"), "globex", "key-1", "acme"));

		assertThat(digested.companyFor("key-2")).isEqualTo("globex");
		assertThat(digested.companyFor("key-1")).isEqualTo("acme");
	}

	@Test
	void theDigestOfAKeyIsSha256InHex() {
		// printf '%s' 'key-1' | sha256sum
		assertThat(ApiKeys.digestSetting("key-1"))
			.isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(ApiKeys.sha256("key-1")))
			.matches("sha256:[0-9a-f]{64}");
		assertThat(ApiKeys.digestSetting("abc"))
			.isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void aDigestIsNeverAKeyItself() {
		String digest = ApiKeys.digestSetting("key-2");
		ApiKeys digested = new ApiKeys(Map.of(digest, "globex"));

		assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> digested.companyFor(digest))
			.withMessage("X-Api-Key: is not a known API key");
	}

	@Test
	void aDigestWhoseColonSpringDroppedIsStillADigest() {
		// gateway.ingest.api-keys.sha256:<hex> without brackets binds as "sha256<hex>".
		ApiKeys digested = new ApiKeys(Map.of(ApiKeys.digestSetting("key-2").replace(":", ""), "globex"));

		assertThat(digested.companyFor("key-2")).isEqualTo("globex");
		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> digested.companyFor(ApiKeys.digestSetting("key-2").replace(":", "")));
	}

	@Test
	void aMalformedDigestFailsNamingTheSettingAndCompanyButNotTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeys(Map.of("sha256:abc123", "globex")))
			.withMessageContaining("gateway.ingest.api-keys")
			.withMessageContaining("globex")
			.withMessageNotContaining("abc123");
	}

	@Test
	void aKeyDiffersFromAnotherByAnyCharacter() {
		ApiKeys digested = new ApiKeys(Map.of(ApiKeys.digestSetting("key-1"), "acme"));

		for (String near : new String[] { "key-2", "key-1 ", "Key-1", "key-", "key-11" }) {
			assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> digested.companyFor(near));
		}
	}

	@Test
	void theDigestCommandPrintsTheSettingOfTheKeyOnStandardInput() throws Exception {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

		int status = ApiKeyDigestCommand.run(
				new java.io.ByteArrayInputStream("key-1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
				new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));

		assertThat(status).isZero();
		assertThat(out.toString().trim()).isEqualTo(ApiKeys.digestSetting("key-1"));
		assertThat(ApiKeyDigestCommand.run(new java.io.ByteArrayInputStream(new byte[0]),
				new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)))
			.isEqualTo(1);
		assertThat(err.toString()).contains("--digest-api-key");
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
