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
	void showTakesPositionsAndEventIds() {
		assertThat(parse("dlq", "show", "1:42", "e-7").ids()).containsExactly("1:42", "e-7");
	}

	@Test
	void redriveTakesIdsAndADryRun() {
		DlqCommand command = parse("dlq", "redrive", "--id=0:1,0:2", "--dry-run");

		assertThat(command.ids()).containsExactly("0:1", "0:2");
		assertThat(command.dryRun()).isTrue();
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
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "list", "--type"))
			.withMessageContaining("--type");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "drop")).withMessageContaining("drop");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("dlq", "show")).withMessageContaining("show");
	}

	private static DlqCommand parse(String... args) {
		return DlqCommand.parse(args, CLOCK);
	}

}
