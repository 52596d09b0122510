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
import java.util.stream.Stream;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.SpoolRecord;

/**
 * A spool in a local directory: one file per event, written to a temporary name, forced
 * to disk and renamed, so a file is either complete or absent. File names sort by write
 * time.
 *
 * <p>
 * Thread-safe.
 */
public class DirectorySpool implements EventSpool {

	private static final String SUFFIX = ".event";

	private final Path directory;

	private final SpoolKeys keys = new SpoolKeys();

	public DirectorySpool(Path directory) throws IOException {
		this.directory = Files.createDirectories(directory);
	}

	@Override
	public String write(Event event, String intendedTopic) throws IOException {
		String key = this.keys.next(event.getEventId(), SUFFIX);
		Path temporary = this.directory.resolve(key + ".tmp");
		byte[] content = SpoolRecord.newBuilder().setEvent(event).setIntendedTopic(intendedTopic).build().toByteArray();
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
				OutputStream out = Channels.newOutputStream(channel)) {
			out.write(content);
			out.flush();
			channel.force(true);
		}
		Files.move(temporary, this.directory.resolve(key), StandardCopyOption.ATOMIC_MOVE);
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

}
