package io.eventgateway.ingest.flow;

/**
 * The arithmetic of the P10 admission rate, in events per second per ingest instance.
 *
 * @param initialRate the rate at start
 * @param alpha added on every INCREASE signal
 * @param beta the factor applied on every DECREASE signal, in (0, 1)
 * @param floor the rate never goes below this (at least 1), so P10 keeps trickling in
 * @param ceiling the rate never goes above this
 */
public record AimdSettings(double initialRate, double alpha, double beta, double floor, double ceiling) {

	public AimdSettings {
		if (!(alpha > 0)) {
			throw new IllegalArgumentException("alpha must be positive, was " + alpha);
		}
		if (!(beta > 0 && beta < 1)) {
			throw new IllegalArgumentException("beta must be between 0 and 1 (exclusive), was " + beta);
		}
		if (!(floor >= 1)) {
			throw new IllegalArgumentException("floor must be at least 1 event per second, was " + floor);
		}
		if (!(ceiling >= floor)) {
			throw new IllegalArgumentException("ceiling (" + ceiling + ") must not be below floor (" + floor + ")");
		}
		if (!(initialRate >= floor && initialRate <= ceiling)) {
			throw new IllegalArgumentException("initial-rate (" + initialRate + ") must be between floor and ceiling ["
					+ floor + ", " + ceiling + "]");
		}
	}

}
