package io.eventgateway.bench.chaos;

import java.time.Duration;

/**
 * How a chaos run is shaped.
 *
 * @param duration the load's length, fault included
 * @param rate events per second offered
 * @param leaseTimeout the orchestrator's lease timeout
 * @param retryLevels retry topics before the dead-letter topic
 * @param p30RecoveryBound how soon after the fault every P30 event must meet its SLO
 * again
 * @param settleTimeout how long the events of a window may take to come through after it,
 * before the run fails saying which did not
 */
record ChaosSettings(Duration duration, int rate, Duration leaseTimeout, int retryLevels, Duration p30RecoveryBound,
		Duration settleTimeout) {

	/** How long a killed process stays down before it is started again. */
	static final Duration OUTAGE = Duration.ofSeconds(3);

	/** The shortest fault window of a fault that lasts (errors, slowness, big events). */
	private static final Duration MIN_FAULT_WINDOW = Duration.ofSeconds(4);

	/**
	 * The shortest settle timeout: a restart takes up to 30 s here and the retry levels
	 * take seconds more.
	 */
	private static final Duration MIN_SETTLE_TIMEOUT = Duration.ofMinutes(2);

	static ChaosSettings of(Duration duration, Integer rate) {
		Duration settle = duration.multipliedBy(4);
		return new ChaosSettings(duration, (rate != null) ? rate : 200, Duration.ofSeconds(5), 2,
				Duration.ofSeconds(60), (settle.compareTo(MIN_SETTLE_TIMEOUT) > 0) ? settle : MIN_SETTLE_TIMEOUT);
	}

	/**
	 * How long a fault that lasts is on: a third of the window, as the load before it.
	 */
	Duration faultWindow() {
		Duration third = this.duration.dividedBy(3);
		return (third.compareTo(MIN_FAULT_WINDOW) > 0) ? third : MIN_FAULT_WINDOW;
	}

}
