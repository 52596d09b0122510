package io.eventgateway.bench.chaos.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShapingTests {

	@Test
	void readsTheCountersOfATokenBucket() {
		String output = """
				qdisc tbf 8001: root refcnt 2 rate 1Mbit burst 16Kb lat 200ms
				 Sent 48213 bytes 312 pkt (dropped 7, overlimits 41 requeues 0)
				 backlog 0b 0p requeues 0
				""";

		Shaping shaping = Shaping.parse(output);

		assertThat(shaping).isEqualTo(new Shaping(312, 7, 41));
		assertThat(shaping.tookEffect()).isTrue();
	}

	@Test
	void aLinkThatHeldNothingBackDidNotTakeEffect() {
		Shaping quiet = Shaping.parse(" Sent 900 bytes 10 pkt (dropped 0, overlimits 0 requeues 0)")
			.plus(Shaping.parse("no qdisc here"));

		assertThat(quiet).isEqualTo(new Shaping(10, 0, 0));
		assertThat(quiet.tookEffect()).isFalse();
	}

}
