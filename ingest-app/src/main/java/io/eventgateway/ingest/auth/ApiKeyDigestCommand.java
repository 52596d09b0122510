package io.eventgateway.ingest.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar ingest-app.jar --digest-api-key}: reads one API key from standard
 * input and prints the {@code sha256:<hex>} form to configure instead of the key, so that
 * the key itself appears in no settings file, shell history or process list.
 */
public final class ApiKeyDigestCommand {

	/** The command-line flag that runs this command instead of the role. */
	public static final String FLAG = "--digest-api-key";

	private ApiKeyDigestCommand() {
	}

	/** Whether the arguments ask for this command. */
	public static boolean requested(String[] args) {
		for (String arg : args) {
			if (FLAG.equals(arg)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Reads the key (the first line; its line ending is not part of it) and prints its
	 * setting.
	 * @return the exit status: 0, or 1 when no key was given
	 */
	public static int run(InputStream in, PrintStream out, PrintStream err) throws IOException {
		String key = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
		if (key == null || key.isBlank()) {
			err.println("Give the API key on standard input, for example: "
					+ "printf '%s' \"$KEY\" | java -jar ingest-app.jar " + FLAG);
			return 1;
		}
		out.println(ApiKeys.digestSetting(key));
		return 0;
	}

}
