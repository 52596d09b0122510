package io.eventgateway.common.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The name this instance runs as, which every meter carries as its {@code pod} tag so
 * that dashboards and alerts can tell the pods of one role apart on any registry (StatsD
 * has no scrape target to add it the way Prometheus does).
 */
public final class PodName {

	/**
	 * Environment variable that Kubernetes' downward API usually fills with the pod name.
	 */
	public static final String POD_NAME = "POD_NAME";

	/**
	 * Environment variable that holds the pod name in Kubernetes, the host name
	 * elsewhere.
	 */
	public static final String HOSTNAME = "HOSTNAME";

	private PodName() {
	}

	/**
	 * The configured name or, when none, {@code POD_NAME}, else {@code HOSTNAME}, else
	 * the local host name.
	 * @param configured the explicit setting, may be blank or {@code null}
	 * @param environment looks up an environment variable ({@code null} when absent)
	 * @param localHostName the host name the operating system reports
	 */
	public static String resolve(@Nullable String configured, UnaryOperator<@Nullable String> environment,
			Supplier<String> localHostName) {
		for (String candidate : new String[] { configured, environment.apply(POD_NAME), environment.apply(HOSTNAME) }) {
			if (candidate != null && !candidate.isBlank()) {
				return candidate.trim();
			}
		}
		return localHostName.get();
	}

	/** The local host name, or {@code unknown} when it cannot be resolved. */
	public static String localHostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}
