package io.eventgateway.orchestrator.dlq;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DlqCommandTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void listTakesEveryCriterionAndHandsSettingsOn() {
		DlqCommand command = parse("dlq", "list", "--type=order.created", "--company=acme", "--error=503", "--since=2h",
				"--until=2026-03-01T11:30:00Z", "--limit=5", "--spring.kafka.bootstrap-servers=h:9092");

		assertThat(command.action()).isEqualTo(DlqCommand.Action.LIST);
		assertThat(command.filter()).isEqualTo(new DeadLetterFilter("order.created", "acme", "503",
				NOW.minusSeconds(7200), Instant.parse("2026-03-01T11:30:00Z"), 5));
		assertThat(command.settings()).containsExactly("--spring.kafka.bootstrap-servers=h:9092");
	}

	@Test
	void showTakesPositionsAndEventIdsAsTwoKinds() {
		DlqCommand command = parse("dlq", "show", "--position=01:42", "--event=1:7,e-7");

		// An event id that looks like a position stays an event id.
		assertThat(command.refs().positions()).containsExactly("1:42");
		assertThat(command.refs().eventIds()).containsExactlyInAnyOrder("1:7", "e-7");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "show", "1:42"))
			.withMessageContaining("--position");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "show", "--position=e-7"))
			.withMessageContaining("--position");
	}

	@Test
	void redriveTakesPositionsAndADryRun() {
		DlqCommand command = parse("dlq", "redrive", "--position=0:1,0:2", "--dry-run");

		assertThat(command.refs().positions()).containsExactlyInAnyOrder("0:1", "0:2");
		assertThat(command.dryRun()).isTrue();
	}

	@Test
	void releaseTakesPositionsOnly() {
		assertThat(parse("dlq", "release", "--position=3:9").refs().positions()).containsExactly("3:9");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "release", "--event=e-1"))
			.withMessageContaining("--position");
	}

	@Test
	void redriveWithoutASelectionIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "redrive")).withMessageContaining("--all");
		assertThat(parse("dlq", "redrive", "--all").all()).isTrue();
	}

	@Test
	void aMistypedOptionIsRefusedRatherThanWideningTheSelection() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "redrive", "--compnay=acme"))
			.withMessageContaining("--compnay");
	}

	@Test
	void badValuesNameTheirOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--since=yesterday"))
			.withMessageContaining("--since");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--limit=many"))
			.withMessageContaining("--limit");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--limit=0"))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--limit=1000000"))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--since=99999999999999999999d"))
			.withMessageContaining("--since");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--since=9999999999999d"))
			.withMessageContaining("--since");
		assertThat(DlqCommand.USAGE).doesNotContain("ago");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--type"))
			.withMessageContaining("--type");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "drop")).withMessageContaining("drop");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "show")).withMessageContaining("show");
	}

	private static DlqCommand parse(String... args) {
		return DlqCommand.parse(args, CLOCK);
	}

}
