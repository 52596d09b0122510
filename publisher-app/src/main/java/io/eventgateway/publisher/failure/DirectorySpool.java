package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.SpoolRecord;

/**
 * A spool in a local directory: one file per event, written to a temporary name, forced
 * to disk, renamed, and the rename forced to disk with the directory, so a file is either
 * complete or absent, and present after a power loss once {@link #write} returned. File
 * names sort by write time.
 *
 * <p>
 * A temporary file found at construction is a write that crashed before its rename: it
 * was never acknowledged as stored (acknowledgement comes only after the rename), so it
 * is reported and deleted.
 *
 * <p>
 * Thread-safe.
 */
public class DirectorySpool implements EventSpool {

	private static final Log logger = LogFactory.getLog(DirectorySpool.class);

	private static final String SUFFIX = ".event";

	private static final String TEMPORARY_SUFFIX = ".tmp";

	/** How old an unfinished write must be before a starting instance deletes it. */
	static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(1);

	private final Path directory;

	private final SpoolKeys keys = new SpoolKeys();

	private final int abandonedWrites;

	/** Set once the directory could not be forced, so that the warning is logged once. */
	private final AtomicBoolean directorySyncUnsupported = new AtomicBoolean();

	public DirectorySpool(Path directory) throws IOException {
		this.directory = Files.createDirectories(directory);
		this.abandonedWrites = deleteAbandonedWrites();
	}

	@Override
	public String write(Event event, String intendedTopic) throws IOException {
		String key = this.keys.next(event.getEventId(), SUFFIX);
		Path temporary = this.directory.resolve(key + TEMPORARY_SUFFIX);
		byte[] content = SpoolRecord.newBuilder().setEvent(event).setIntendedTopic(intendedTopic).build().toByteArray();
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
				OutputStream out = Channels.newOutputStream(channel)) {
			out.write(content);
			out.flush();
			channel.force(true);
		}
		Files.move(temporary, this.directory.resolve(key), StandardCopyOption.ATOMIC_MOVE);
		// The rename lives in the directory's own blocks: until they reach the disk, a
		// power
		// loss can take the file with it although the caller was told it is stored.
		forceDirectory();
		return key;
	}

	@Override
	public List<String> keys() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(SUFFIX))
				.sorted()
				.toList();
		}
	}

	@Override
	public SpooledEvent read(String key) throws IOException {
		SpoolRecord record = SpoolRecord.parseFrom(Files.readAllBytes(this.directory.resolve(key)));
		return new SpooledEvent(record.getEvent(), record.getIntendedTopic());
	}

	@Override
	public void delete(String key) throws IOException {
		Files.deleteIfExists(this.directory.resolve(key));
	}

	/**
	 * Temporary files found (and deleted) at construction: writes a crash interrupted
	 * before they were acknowledged.
	 */
	public int abandonedWriteCount() {
		return this.abandonedWrites;
	}

	private int deleteAbandonedWrites() throws IOException {
		List<Path> abandoned;
		try (Stream<Path> files = Files.list(this.directory)) {
			abandoned = files.filter((file) -> file.getFileName().toString().endsWith(TEMPORARY_SUFFIX))
				.filter(DirectorySpool::abandoned)
				.toList();
		}
		if (abandoned.isEmpty()) {
			return 0;
		}
		// Names only: the directory's absolute path is the host's business, not the
		// log's.
		logger.warn(abandoned.size() + " unfinished spool writes found in the spool directory (a crash between"
				+ " write and rename; never acknowledged), deleting them, first ones: "
				+ abandoned.stream().map((file) -> file.getFileName().toString()).sorted().limit(10).toList());
		for (Path file : abandoned) {
			Files.deleteIfExists(file);
		}
		return abandoned.size();
	}

	/**
	 * Whether an unfinished write is old enough to be abandoned: on a spool shared by
	 * several instances, a fresh one may be another instance's write in progress, which
	 * deleting would turn into a failed (and lost) capture. A write takes milliseconds.
	 */
	private static boolean abandoned(Path temporary) {
		try {
			return Files.getLastModifiedTime(temporary)
				.toInstant()
				.isBefore(java.time.Instant.now().minus(ABANDONED_AFTER));
		}
		catch (IOException ex) {
			// Gone meanwhile: renamed by its writer, or deleted by another instance.
			return false;
		}
	}

	private void forceDirectory() {
		if (this.directorySyncUnsupported.get()) {
			return;
		}
		try (FileChannel channel = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Windows and some file systems can neither open nor force a directory; the
			// rename is then as durable as the platform makes it, and the event's own
			// bytes
			// are on disk already.
			if (this.directorySyncUnsupported.compareAndSet(false, true)) {
				logger.warn("The spool directory cannot be forced to disk on this platform (" + ex
						+ "); a power loss right after a spool write may undo its rename");
			}
		}
	}

}
