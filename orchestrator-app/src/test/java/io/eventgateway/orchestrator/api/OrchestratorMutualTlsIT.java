package io.eventgateway.orchestrator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Duration;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestCertificates;
import io.eventgateway.common.test.TestCertificates.Pem;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The orchestrator serving FetchTasks over mutual TLS, configured as the chart does it:
 * SSL bundle {@code gateway-grpc-server} from PEM files, client certificates required.
 * The worker's side of the channel is covered by the worker's
 * {@code OrchestratorChannelsTlsTests}.
 */
@SpringBootTest(classes = OrchestratorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=orchestrator-app", "spring.grpc.server.port=0",
				"gateway.topics.prefix=grpc-tls-it", "gateway.topics.partitions=1",
				"gateway.orchestrator.consumer-group=grpc-tls-it", "spring.grpc.server.ssl.bundle=gateway-grpc-server",
				"spring.grpc.server.ssl.client-auth=require" })
class OrchestratorMutualTlsIT {

	private static final Path CERTIFICATES = temporaryDirectory();

	private static final TestCertificates AUTHORITY = TestCertificates.authority(CERTIFICATES, "gateway-ca");

	@Value("${local.grpc.port}")
	private int grpcPort;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
		for (String property : AUTHORITY.issue("orchestrator").bundleProperties("gateway-grpc-server")) {
			int equals = property.indexOf('=');
			registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@Test
	void aWorkerWithATrustedCertificateFetches() throws IOException {
		Pem worker = AUTHORITY.issue("worker");

		FetchTasksResponse response = fetch(TlsChannelCredentials.newBuilder()
			.keyManager(worker.certificate().toFile(), worker.privateKey().toFile())
			.trustManager(worker.ca().toFile())
			.build());

		assertThat(response.getReplicaIndex()).isZero();
	}

	@Test
	void aWorkerWithoutATrustedCertificateIsRefused() throws IOException {
		Pem stranger = TestCertificates.authority(CERTIFICATES, "other-ca").issue("stranger");
		ChannelCredentials untrusted = TlsChannelCredentials.newBuilder()
			.keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile())
			.trustManager(CERTIFICATES.resolve("gateway-ca/ca.crt").toFile())
			.build();
		ChannelCredentials none = TlsChannelCredentials.newBuilder()
			.trustManager(CERTIFICATES.resolve("gateway-ca/ca.crt").toFile())
			.build();

		for (ChannelCredentials credentials : new ChannelCredentials[] { untrusted, none }) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> fetch(credentials))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
	}

	private FetchTasksResponse fetch(ChannelCredentials credentials) {
		ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", this.grpcPort, credentials).build();
		try {
			return EventsOrchestratorGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.fetchTasks(FetchTasksRequest.newBuilder()
					.setMaxTasks(1)
					.setMaxWait(Duration.newBuilder().setNanos(100_000_000))
					.setWorkerId("tls-it")
					.build());
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("grpc-tls-it");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
