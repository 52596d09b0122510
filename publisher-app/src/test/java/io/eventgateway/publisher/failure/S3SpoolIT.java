package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The S3 spool against an S3-compatible server running in this JVM. The server is a
 * Spring Boot application too, so it sees this module's auto-configuration: topic
 * creation, the config client and the bus are switched off for it, since it has no broker
 * and no config server.
 */
class S3SpoolIT {

	@RegisterExtension
	static final S3MockExtension s3Mock = (S3MockExtension) S3MockExtension.builder()
		.silent()
		.withSecureConnection(false)
		.withInitialBuckets("spool")
		.withProperty("gateway.topics.create", "false")
		.withProperty("spring.cloud.config.enabled", "false")
		.withProperty("spring.cloud.bus.enabled", "false")
		// Spring Security is on this classpath for the publisher; the mock is no role and
		// would otherwise get Boot's default login in front of its API.
		.withProperty("spring.autoconfigure.exclude",
				"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
		.build();

	private final S3Client s3 = s3Mock.createS3ClientV2();

	@Test
	void storedEventsReadBackInWriteOrderAndDeleteOnlyWhatIsAsked() throws Exception {
		S3Spool spool = new S3Spool(this.s3, "spool", "gateway/order/");
		Event first = TestEvents.event("first", "acme", Priority.P30);
		Event second = TestEvents.event("second", "acme", Priority.P10);

		String firstKey = spool.write(first, "events.p30");
		String secondKey = spool.write(second, "events.p10");

		assertThat(spool.keys()).containsExactly(firstKey, secondKey);
		assertThat(firstKey).startsWith("gateway/order/");
		assertThat(spool.read(secondKey)).isEqualTo(new EventSpool.SpooledEvent(second, "events.p10"));

		spool.delete(firstKey);

		assertThat(spool.keys()).containsExactly(secondKey);
	}

	@Test
	void writeToAMissingBucketFailsLoudly() {
		S3Spool spool = new S3Spool(this.s3, "no-such-bucket", "gateway/");

		assertThatIOException().isThrownBy(() -> spool.write(TestEvents.event("x", "acme", Priority.P30), "t"))
			.withMessageContaining("no-such-bucket");
	}

	@Test
	void keysUnderAnotherPrefixAreNotListed() throws IOException {
		new S3Spool(this.s3, "spool", "gateway/other/").write(TestEvents.event("y", "acme", Priority.P20), "t");

		assertThat(new S3Spool(this.s3, "spool", "gateway/mine/").keys()).isEmpty();
	}

	@Test
	void readingAnEventAnotherInstanceAlreadyDeletedSaysItIsGone() throws IOException {
		S3Spool spool = new S3Spool(this.s3, "spool", "gateway/gone/");
		String key = spool.write(TestEvents.event("z", "acme", Priority.P30), "t");
		spool.delete(key);

		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> spool.read(key))
			.withMessageContaining(key);
	}

}
