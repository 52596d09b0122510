package io.eventgateway.worker.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into every address it currently stands for; behind a headless
 * service, one address per ready orchestrator replica. Tests put a fake in its place.
 */
@FunctionalInterface
public interface AddressResolver {

	/**
	 * @param host a host name or literal address
	 * @return all its addresses, never empty
	 * @throws UnknownHostException when the name does not resolve
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

	/**
	 * The JVM's resolver (and its cache, whose time to live the worker shortens at start
	 * so that discovery sees a scale-up soon).
	 */
	static AddressResolver system() {
		return (host) -> List.of(InetAddress.getAllByName(host));
	}

}
