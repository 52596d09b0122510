package io.eventgateway.standalone.broker;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import io.eventgateway.standalone.process.ParentWatchdog;

/**
 * Main class of the broker child process: Kafka's own {@code kafka.Kafka} plus a watchdog
 * that exits (running Kafka's clean-shutdown hook) as soon as standard input closes,
 * which happens when the parent process ends for any reason, so no broker outlives the
 * standalone gateway.
 *
 * <p>
 * Ctrl-C in a terminal signals the whole process group; the broker ignores SIGINT and
 * SIGTERM so that the parent can stop the gateway roles first, while the broker still
 * answers them, and then close the broker's input.
 */
public final class BrokerMain {

	private BrokerMain() {
	}

	public static void main(String[] args) {
		Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
		Signal.handle(new Signal("TERM"), SignalHandler.SIG_IGN);
		ParentWatchdog.start();
		kafka.Kafka.main(args);
	}

}
