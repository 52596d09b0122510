package io.eventgateway.publisher.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.environment.Stage;
import io.eventgateway.publisher.config.PublisherProperties.S3;
import io.eventgateway.publisher.config.PublisherProperties.Spool;
import io.eventgateway.publisher.config.PublisherProperties.SpoolType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class SpoolSettingsTests {

	private static final S3 BUCKET = new S3("spool", "event-gateway/spool/", "us-east-1", "");

	@Test
	void prodRefusesADirectorySpoolNotDeclaredPersistentNamingTheSetting() {
		assertThatIllegalStateException().isThrownBy(() -> directory(false, null).checkFor(Stage.PROD))
			.withMessageContaining("gateway.environment=prod refuses a directory spool")
			.withMessageContaining("gateway.publisher.spool.persistent=true")
			.withMessageContaining("gateway.publisher.spool.type=s3");
	}

	@Test
	void prodAcceptsADirectorySpoolDeclaredPersistent() {
		assertThatNoException().isThrownBy(() -> directory(true, null).checkFor(Stage.PROD));
	}

	@Test
	void prodAcceptsAnS3SpoolWhateverItsPersistentFlagSays() {
		Spool s3 = new Spool(SpoolType.S3, "spool", BUCKET, Duration.ofSeconds(30), false, null,
				Duration.ofSeconds(20));

		assertThat(s3.isPersistent()).isTrue();
		assertThatNoException().isThrownBy(() -> s3.checkFor(Stage.PROD));
	}

	@Test
	void devAndStagingAcceptAnEphemeralDirectorySpool() {
		assertThatNoException().isThrownBy(() -> directory(false, null).checkFor(Stage.DEV));
		assertThatNoException().isThrownBy(() -> directory(false, null).checkFor(Stage.STAGING));
	}

	@Test
	void anS3SpoolIsSharedAndADirectorySpoolIsNotUnlessToldOtherwise() {
		assertThat(new Spool(SpoolType.S3, "spool", BUCKET, Duration.ofSeconds(30), false, null, Duration.ofSeconds(20))
			.isShared()).isTrue();
		assertThat(
				new Spool(SpoolType.S3, "spool", BUCKET, Duration.ofSeconds(30), false, false, Duration.ofSeconds(20))
					.isShared())
			.isFalse();
		assertThat(directory(false, null).isShared()).isFalse();
		assertThat(directory(true, true).isShared()).isTrue();
	}

	@Test
	void aNegativeDrainTimeIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Spool(SpoolType.DIRECTORY, "spool", BUCKET, Duration.ofSeconds(30), false, null,
					Duration.ofSeconds(-1)))
			.withMessageContaining("gateway.publisher.spool.drain-on-stop");
	}

	private static Spool directory(boolean persistent, Boolean shared) {
		return new Spool(SpoolType.DIRECTORY, "spool", BUCKET, Duration.ofSeconds(30), persistent, shared,
				Duration.ofSeconds(20));
	}

}
