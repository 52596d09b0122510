package io.eventgateway.common.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayHeadersTests {

	@Test
	void epochNanosRoundTripExactly() {
		Headers headers = new RecordHeaders();
		Instant deadline = Instant.parse("2026-11-29T20:30:00.123456789Z");

		assertThat(GatewayHeaders.putEpochNanos(headers, GatewayHeaders.SLO_DEADLINE, deadline)).isTrue();

		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.SLO_DEADLINE)).isEqualTo(deadline);
	}

	@Test
	void instantsBeforeTheEpochRoundTrip() {
		Headers headers = new RecordHeaders();
		Instant early = Instant.parse("1969-12-31T23:59:59.999999999Z");

		GatewayHeaders.putEpochNanos(headers, GatewayHeaders.INGESTED_AT, early);

		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.INGESTED_AT)).isEqualTo(early);
	}

	@Test
	void anInstantNoLongOfNanosHoldsAddsNothing() {
		Headers headers = new RecordHeaders();

		assertThat(GatewayHeaders.putEpochNanos(headers, GatewayHeaders.SLO_DEADLINE,
				Instant.parse("9999-12-31T23:59:59Z")))
			.isFalse();

		assertThat(headers.lastHeader(GatewayHeaders.SLO_DEADLINE)).isNull();
	}

	@Test
	void aMissingOrMalformedTimeHeaderReadsAsNull() {
		Headers headers = new RecordHeaders();
		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.SLO_DEADLINE)).isNull();

		headers.add(GatewayHeaders.SLO_DEADLINE, ByteBuffer.allocate(Integer.BYTES).putInt(7).array());

		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.SLO_DEADLINE)).isNull();
	}

}
