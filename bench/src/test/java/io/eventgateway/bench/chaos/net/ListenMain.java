package io.eventgateway.bench.chaos.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Accepts connections on an address until killed: a stand-in for a role inside a lab
 * host, to see which links let a connection through.
 */
public final class ListenMain {

	private ListenMain() {
	}

	/** {@code <address> <port>}. */
	public static void main(String[] args) throws IOException {
		try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getByName(args[0]))) {
			System.out.println("listening");
			while (true) {
				try (Socket ignored = server.accept()) {
					// Accepting is the whole answer.
				}
			}
		}
	}

}
