package io.eventgateway.ingest.api.grpc;

import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a decoded {@code IngestEvents} request holds, reading it yields one candidate
 * per event, each valid or with errors that name a field, so the service answers
 * INVALID_ARGUMENT for the bad events and still takes the good ones. Runs briefly in the
 * build; for a longer run:
 * {@code ./mvnw -pl ingest-app test -Dtest='*FuzzTests' -Djqwik.tries.default=200000}.
 */
class GrpcBatchReaderFuzzTests {

	private static final EventRules RULES = new EventRules(64 * 1024);

	@Property
	void mutatedMessagesYieldOneCandidatePerEvent(@ForAll("mutatedRequests") byte[] wire) {
		IngestEventsRequest request;
		try {
			request = IngestEventsRequest.parseFrom(wire);
		}
		catch (InvalidProtocolBufferException ex) {
			// gRPC refuses bytes that do not decode before our code runs.
			return;
		}
		readsEveryEvent(request);
	}

	@Provide
	Arbitrary<byte[]> mutatedRequests() {
		byte[] valid = IngestEventsRequest.newBuilder()
			.setRequestId("r-1")
			.addEvents(valid().setNotBefore(Timestamp.newBuilder().setSeconds(1_800_000_000L)))
			.addEvents(valid())
			.build()
			.toByteArray();
		return Combinators
			.combine(Arbitraries.integers().between(0, valid.length - 1), Arbitraries.bytes(),
					Arbitraries.integers().between(0, valid.length))
			.as((at, replacement, cut) -> {
				byte[] mutated = Arrays.copyOf(valid, cut);
				if (at < mutated.length) {
					mutated[at] = replacement;
				}
				return mutated;
			});
	}

	@Property
	void eventsWithAnyFieldsYieldOneCandidatePerEvent(@ForAll("events") List<IngestEvent> events) {
		readsEveryEvent(IngestEventsRequest.newBuilder().addAllEvents(events).build());
	}

	@Example
	void aNotBeforeBeyondTheRangeOfInstantIsAFieldError() {
		// Found by eventsWithAnyFieldsYieldOneCandidatePerEvent: the time conversion
		// threw
		// DateTimeException, which reached gRPC as UNKNOWN for the whole batch.
		IngestEvent bad = valid().setNotBefore(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build();
		IngestEventsRequest request = IngestEventsRequest.newBuilder().addEvents(valid()).addEvents(bad).build();

		List<Candidate> candidates = GrpcBatchReader.candidates(request);

		assertThat(candidates.get(0).isValid()).isTrue();
		assertThat(candidates.get(1).errors()).extracting(FieldError::field).containsExactly("events[1].not_before");
	}

	@Example
	void nanosOutsideTheirRangeAreAFieldError() {
		IngestEvent bad = valid().setNotBefore(Timestamp.newBuilder().setSeconds(1).setNanos(-1)).build();

		List<Candidate> candidates = GrpcBatchReader
			.candidates(IngestEventsRequest.newBuilder().addEvents(bad).build());

		assertThat(candidates.get(0).errors()).extracting(FieldError::field).containsExactly("events[0].not_before");
	}

	@Provide
	Arbitrary<List<IngestEvent>> events() {
		Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
				Arbitraries.strings().all().ofMaxLength(20), Arbitraries.of("", "acme", "trigger.x", "é", "\uD800"));
		Arbitrary<Timestamp> times = Combinators.combine(Arbitraries.longs(), Arbitraries.integers())
			.as((seconds, nanos) -> Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build());
		Arbitrary<IngestEvent> event = Combinators
			.combine(text, text, text, text, Arbitraries.bytes().array(byte[].class).ofMaxSize(64), times.optional())
			.as((id, company, type, source, payload, notBefore) -> {
				IngestEvent.Builder builder = IngestEvent.newBuilder()
					.setEventId(id)
					.setCompanyId(company)
					.setEventType(type)
					.setSource(source)
					.setPayload(ByteString.copyFrom(payload));
				notBefore.ifPresent(builder::setNotBefore);
				return builder.build();
			});
		return event.list().ofMinSize(1).ofMaxSize(5);
	}

	private static IngestEvent.Builder valid() {
		return IngestEvent.newBuilder()
			.setEventId("e-1")
			.setEventType("trigger.x")
			.setSource("tests")
			.setPayload(ByteString.copyFromUtf8("{}"));
	}

	private static void readsEveryEvent(IngestEventsRequest request) {
		List<Candidate> candidates = GrpcBatchReader.candidates(request);

		assertThat(candidates).hasSize(request.getEventsCount());
		for (Candidate candidate : candidates) {
			List<FieldError> errors = candidate.isValid() ? RULES.check(candidate.index(), candidate.event())
					: candidate.errors();
			for (FieldError error : errors) {
				assertThat(error.field()).startsWith("events[" + candidate.index() + "]");
				assertThat(error.message()).isNotBlank();
			}
		}
	}

}
