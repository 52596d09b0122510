package io.eventgateway.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A file only its owner may read: where a run leaves the credentials it made up. */
public final class OwnerOnlyFile {

	private OwnerOnlyFile() {
	}

	/** Writes a file anew, readable and writable by its owner only. */
	public static void write(Path file, String content) throws IOException {
		Files.deleteIfExists(file);
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the user's own folder protects it.
			Files.createFile(file);
		}
		Files.writeString(file, content);
	}

}
