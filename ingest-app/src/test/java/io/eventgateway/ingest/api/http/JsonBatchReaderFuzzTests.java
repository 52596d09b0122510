package io.eventgateway.ingest.api.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.BatchRejectedException;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.event.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever body arrives, reading it either refuses the whole request with a named field
 * and a reason (HTTP 400) or yields one candidate per event, each valid or with errors
 * that name a field; nothing else escapes to become a 500. Runs briefly in the build; for
 * a longer run:
 * {@code ./mvnw -pl ingest-app test -Dtest='*FuzzTests' -Djqwik.tries.default=200000}.
 */
class JsonBatchReaderFuzzTests {

	private static final String VALID = """
			{"request_id":"r-1","events":[{"event_id":"e-1","company_id":"acme","event_type":"trigger.x",\
			"source":"tests","payload":{"n":1,"s":"x"},"not_before":"2026-01-31T12:00:00Z"},\
			{"event_type":"bulk.y","source":"tests","payload":{}}]}""";

	private final JsonBatchReader reader = new JsonBatchReader(new BatchLimits(100));

	private final EventRules rules = new EventRules(64 * 1024);

	@Property
	void arbitraryBytesAreReadOrRefused(@ForAll byte[] body) {
		readsOrRefuses(body);
	}

	@Property
	void mutatedBodiesAreReadOrRefused(@ForAll("mutatedBodies") String body) {
		readsOrRefuses(body.getBytes(StandardCharsets.UTF_8));
	}

	@Property
	void eventsWithAnyJsonValuesAreReadOrRefused(@ForAll("oddEvents") List<String> events) {
		readsOrRefuses(("{\"events\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8));
	}

	@Provide
	Arbitrary<String> mutatedBodies() {
		Arbitrary<String> fragment = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6), Arbitraries.of("{", "}",
				"[", "]", "\"", ",", ":", "null", "1e999", "-0", "\\u0000", "\\ud800", "\uD83D\uDE00", "\u0000"));
		return Combinators
			.combine(Arbitraries.integers().between(0, VALID.length()), Arbitraries.integers().between(0, 8), fragment)
			.as((at, cut, inserted) -> VALID.substring(0, at) + inserted
					+ VALID.substring(Math.min(VALID.length(), at + cut)));
	}

	@Provide
	Arbitrary<List<String>> oddEvents() {
		Arbitrary<String> value = Arbitraries.oneOf(
				Arbitraries.strings().ofMaxLength(12).map(JsonBatchReaderFuzzTests::quoted),
				Arbitraries.of("null", "true", "0", "-1.5e300", "[]", "{}", "[1,{}]", "{\"a\":{\"b\":[]}}", "\"\"",
						"\"2026-13-40T99:99:99Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"e-1\""));
		Arbitrary<String> event = Combinators.combine(value, value, value, value, value, value)
			.as((id, company, type, source, payload, notBefore) -> "{\"event_id\":" + id + ",\"company_id\":" + company
					+ ",\"event_type\":" + type + ",\"source\":" + source + ",\"payload\":" + payload
					+ ",\"not_before\":" + notBefore + "}");
		return Arbitraries.oneOf(event, value).list().ofMinSize(1).ofMaxSize(4);
	}

	private void readsOrRefuses(byte[] body) {
		JsonBatchReader.DecodedBatch batch;
		try {
			batch = this.reader.read(body);
		}
		catch (BatchRejectedException ex) {
			assertThat(ex.error().message()).isNotBlank();
			return;
		}
		for (int index = 0; index < batch.candidates().size(); index++) {
			Candidate candidate = batch.candidates().get(index);
			assertThat(candidate.index()).isEqualTo(index);
			List<FieldError> errors = candidate.isValid() ? this.rules.check(index, candidate.event())
					: candidate.errors();
			for (FieldError error : errors) {
				assertThat(error.field()).startsWith("events[" + index + "]");
				assertThat(error.message()).isNotBlank();
			}
		}
	}

	private static String quoted(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

}
