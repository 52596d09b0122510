package io.eventgateway.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks one role's liveness probe every half second, as Kubernetes would, and keeps what
 * it answered when it was not UP. Runs on its own thread from {@link #start} to
 * {@link #stop}; the answers are read after the stop.
 */
final class LivenessWatch {

	private static final long INTERVAL_MILLIS = 500;

	private static final int KEPT = 3;

	private final RoleProcess role;

	private final Thread thread;

	private final List<String> down = new ArrayList<>();

	private volatile boolean running = true;

	private int probes;

	private int downCount;

	LivenessWatch(RoleProcess role) {
		this.role = role;
		this.thread = new Thread(this::run, "chaos-liveness-" + role.role().name().toLowerCase(java.util.Locale.ROOT));
		this.thread.setDaemon(true);
	}

	LivenessWatch start() {
		this.thread.start();
		return this;
	}

	private void run() {
		try {
			while (this.running) {
				RoleProcess.Answer answer;
				try {
					answer = this.role.get("/actuator/health/liveness");
				}
				catch (RuntimeException ex) {
					// A probe that failed in an unexpected way counts as not UP; probing
					// goes on.
					answer = new RoleProcess.Answer(0, "probe failed: " + ex);
				}
				synchronized (this) {
					this.probes++;
					if (!answer.ok()) {
						this.downCount++;
						if (this.down.size() < KEPT) {
							this.down.add(answer.status() + " " + abbreviate(answer.body()));
						}
					}
				}
				TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void stop() throws InterruptedException {
		this.running = false;
		this.thread.join();
	}

	Role role() {
		return this.role.role();
	}

	synchronized int probes() {
		return this.probes;
	}

	/** Probes that did not answer UP. */
	synchronized int downCount() {
		return this.downCount;
	}

	/** The first few answers that were not UP: status and body. */
	synchronized List<String> down() {
		return List.copyOf(this.down);
	}

	static String abbreviate(String text) {
		String flat = text.replace('\n', ' ');
		return (flat.length() > 400) ? flat.substring(0, 400) + "…" : flat;
	}

}
