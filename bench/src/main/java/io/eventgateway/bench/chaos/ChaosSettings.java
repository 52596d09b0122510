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
 */
record ChaosSettings(Duration duration, int rate, Duration leaseTimeout, int retryLevels, Duration p30RecoveryBound) {

	/** How long a killed process stays down before it is started again. */
	static final Duration OUTAGE = Duration.ofSeconds(3);

	static ChaosSettings of(Duration duration, Integer rate) {
		return new ChaosSettings(duration, (rate != null) ? rate : 200, Duration.ofSeconds(5), 2,
				Duration.ofSeconds(60));
	}

}
