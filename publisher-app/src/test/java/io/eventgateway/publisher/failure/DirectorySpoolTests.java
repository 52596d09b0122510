package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;

class DirectorySpoolTests {

	@TempDir
	Path directory;

	@Test
	void storedEventsReadBackInWriteOrderWithTheirTopic() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		Event first = TestEvents.event("first", "acme", Priority.P30);
		Event second = TestEvents.event("sec/ond", "acme", Priority.P10);

		String firstKey = spool.write(first, "events.p30");
		String secondKey = spool.write(second, "events.p10");

		assertThat(spool.keys()).containsExactly(firstKey, secondKey);
		assertThat(spool.read(secondKey)).isEqualTo(new EventSpool.SpooledEvent(second, "events.p10"));
		assertThat(secondKey).doesNotContain("/");
	}

	@Test
	void deletedEventsAreGoneAndNoTemporaryFilesRemain() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		String key = spool.write(TestEvents.event("gone", "acme", Priority.P20), "events.p20");

		spool.delete(key);

		assertThat(spool.keys()).isEmpty();
		try (var files = Files.list(this.directory)) {
			assertThat(files).isEmpty();
		}
	}

	private static void ageBeyondAbandonment(Path file) throws IOException {
		Files.setLastModifiedTime(file,
				FileTime.from(Instant.now().minus(DirectorySpool.ABANDONED_AFTER).minusSeconds(1)));
	}

	@Test
	void unfinishedWritesLeftByACrashAreCountedAndDeletedWhileStoredEventsStay() throws Exception {
		String stored = new DirectorySpool(this.directory).write(TestEvents.event("kept", "acme", Priority.P10),
				"events.p10");
		ageBeyondAbandonment(Files.write(this.directory.resolve("00000000000001-a.event.tmp"), new byte[] { 1, 2 }));
		ageBeyondAbandonment(Files.write(this.directory.resolve("00000000000002-b.event.tmp"), new byte[0]));

		DirectorySpool restarted = new DirectorySpool(this.directory);

		assertThat(restarted.abandonedWriteCount()).isEqualTo(2);
		assertThat(restarted.keys()).containsExactly(stored);
		try (var files = Files.list(this.directory)) {
			assertThat(files).map((file) -> file.getFileName().toString()).containsExactly(stored);
		}
	}

	@Test
	void aFreshUnfinishedWriteMayBeAnotherInstancesWriteInProgressAndStays() throws Exception {
		Path inProgress = Files.write(this.directory.resolve("00000000000003-c.event.tmp"), new byte[] { 1 });

		DirectorySpool starting = new DirectorySpool(this.directory);

		assertThat(starting.abandonedWriteCount()).isZero();
		assertThat(inProgress).exists();
	}

	@Test
	void aCleanDirectoryReportsNoUnfinishedWrites() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		spool.write(TestEvents.event("one", "acme", Priority.P30), "events.p30");

		assertThat(new DirectorySpool(this.directory).abandonedWriteCount()).isZero();
	}

}
