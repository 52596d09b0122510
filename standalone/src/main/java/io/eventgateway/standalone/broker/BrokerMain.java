package io.eventgateway.standalone.broker;

import java.io.IOException;
import java.io.InputStream;

import sun.misc.Signal;
import sun.misc.SignalHandler;

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
		Thread watchdog = new Thread(() -> {
			try (InputStream in = System.in) {
				while (in.read() != -1) {
					// Only end of stream matters.
				}
			}
			catch (IOException ex) {
				// A broken pipe means the parent is gone, too.
			}
			System.exit(0);
		}, "parent-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		kafka.Kafka.main(args);
	}

}
