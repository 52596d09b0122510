package io.eventgateway.ingest.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 request over a loopback socket whose body is sent piece by piece while the
 * response is read on another thread, so a test can see a response that comes before the
 * body is sent whole (and how much of the body had been sent by then). Nothing of the
 * body is kept.
 */
final class StreamingHttpExchange implements AutoCloseable {

	private final Socket socket;

	private final OutputStream out;

	private final boolean chunked;

	private final CompletableFuture<String> responseHead = new CompletableFuture<>();

	private volatile long sent;

	/**
	 * Opens the connection and sends the request line and headers.
	 * @param headers header lines, without the final blank line; a
	 * {@code Transfer-Encoding: chunked} among them makes {@link #send} write chunks
	 */
	StreamingHttpExchange(int port, String... headers) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
		this.out = this.socket.getOutputStream();
		boolean chunked = false;
		StringBuilder head = new StringBuilder("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
			chunked |= header.equalsIgnoreCase("Transfer-Encoding: chunked");
		}
		this.chunked = chunked;
		this.out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		Thread reader = new Thread(this::readHead, "response-reader-" + port);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Sends a piece of the body.
	 * @return whether it was sent; {@code false} once a response has come or the server
	 * closed the connection
	 */
	boolean send(byte[] piece) {
		if (this.responseHead.isDone()) {
			return false;
		}
		try {
			if (this.chunked) {
				this.out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
				this.out.write(piece);
				this.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				this.out.write(piece);
			}
			this.out.flush();
			this.sent += piece.length;
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Body bytes sent so far. */
	long sent() {
		return this.sent;
	}

	/** Whether the response has begun to arrive. */
	boolean responded() {
		return this.responseHead.isDone();
	}

	/** The status line and headers of the response, waiting at most this long. */
	String awaitResponseHead(Duration timeout) throws Exception {
		return this.responseHead.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The status code of the response, waiting at most this long. */
	int awaitStatus(Duration timeout) throws Exception {
		return Integer.parseInt(awaitResponseHead(timeout).split(" ")[1]);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private void readHead() {
		try {
			InputStream in = this.socket.getInputStream();
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int previous = -1;
			int lineLength = 0;
			for (int read = in.read(); read >= 0; read = in.read()) {
				head.write(read);
				if (read == '\n' && previous == '\r') {
					if (lineLength == 1) {
						break;
					}
					lineLength = 0;
				}
				else {
					lineLength++;
				}
				previous = read;
			}
			this.responseHead.complete(head.toString(StandardCharsets.ISO_8859_1));
		}
		catch (IOException ex) {
			this.responseHead.completeExceptionally(ex);
		}
	}

}
