package io.eventgateway.bench.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.standalone.process.ParentWatchdog;
import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Main class of one role's child JVM in a chaos run:
 * {@code RoleMain <role> [--ledger=FILE] [--fault-switch=FILE]
 * [--spring.property=value ...]}. A worker records every event it processes in the ledger
 * file and fails the poison ones; while the fault switch file says so, its processor
 * misbehaves (see {@link FaultSwitch}). The process ends with its parent.
 */
public final class RoleMain {

	private RoleMain() {
	}

	public static void main(String[] args) throws Exception {
		ParentWatchdog.start();
		Role role = Role.valueOf(args[0]);
		Path ledger = null;
		Path faultSwitch = null;
		List<String> springArgs = new ArrayList<>();
		for (String arg : List.of(args).subList(1, args.length)) {
			if (arg.startsWith(LEDGER)) {
				ledger = Path.of(arg.substring(LEDGER.length()));
			}
			else if (arg.startsWith(FAULT_SWITCH)) {
				faultSwitch = Path.of(arg.substring(FAULT_SWITCH.length()));
			}
			else {
				springArgs.add(arg);
			}
		}
		SpringApplicationBuilder builder = GatewayApplications.builder(role.application(), role.springName())
			.main(role.application());
		if (ledger != null) {
			LedgerProcessor processor = new LedgerProcessor(ledger,
					(faultSwitch != null) ? new FaultSwitch(faultSwitch) : null);
			builder.initializers((context) -> ((GenericApplicationContext) context).registerBean(EventProcessor.class,
					() -> processor));
		}
		builder.run(springArgs.toArray(String[]::new));
	}

	static final String LEDGER = "--ledger=";

	static final String FAULT_SWITCH = "--fault-switch=";

}
