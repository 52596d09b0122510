package io.eventgateway.standalone.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a child JVM as soon as its standard input closes, which happens when the parent
 * process ends for any reason (even {@code kill -9}), so that no child outlives it.
 */
public final class ParentWatchdog {

	private ParentWatchdog() {
	}

	/** Starts watching standard input on a daemon thread. */
	public static void start() {
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
	}

}
