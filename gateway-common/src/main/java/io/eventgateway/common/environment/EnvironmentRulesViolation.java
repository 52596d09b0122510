package io.eventgateway.common.environment;

/**
 * Settings that break the environment's rules: thrown at start (the instance refuses to
 * start) and on every refresh (the refresh is refused whole and nothing changes).
 */
public class EnvironmentRulesViolation extends IllegalStateException {

	public EnvironmentRulesViolation(String message) {
		super(message);
	}

	/** The violation among an exception's causes, if any. */
	static EnvironmentRulesViolation findIn(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof EnvironmentRulesViolation violation) {
				return violation;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
