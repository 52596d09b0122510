package io.eventgateway.publisher.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.health.GrpcDownstreamHealthIndicator;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestCertificates;
import io.eventgateway.common.test.TestCertificates.Pem;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The publisher serving PublishEvents over mutual TLS, with certificates made up for the
 * test and set as the chart sets them: SSL bundles {@code gateway-grpc-server} and
 * {@code gateway-grpc-client} from PEM files, client certificates required. The caller is
 * Spring gRPC's named channel {@code publisher}, configured as ingest's is.
 */
@SpringBootTest(classes = PublisherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=publisher-app", "gateway.topics.prefix=grpc-tls-it",
				"gateway.topics.partitions=1", "spring.grpc.server.ssl.bundle=gateway-grpc-server",
				"spring.grpc.server.ssl.client-auth=require",
				"spring.grpc.client.channels.publisher.ssl.bundle=gateway-grpc-client" })
class PublisherMutualTlsIT {

	private static final Path CERTIFICATES = temporaryDirectory();

	private static final TestCertificates AUTHORITY = TestCertificates.authority(CERTIFICATES, "gateway-ca");

	/**
	 * The server's port, chosen just before the context starts: the named channel must
	 * know it in advance.
	 */
	private static int port;

	@Autowired
	private GrpcChannelFactory channels;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
		port = freeLoopbackPort();
		registry.add("spring.grpc.server.address", () -> "127.0.0.1:" + port);
		registry.add("spring.grpc.client.channels.publisher.address", () -> "static://localhost:" + port);
		addBundle(registry, "gateway-grpc-server", AUTHORITY.issue("publisher"));
		addBundle(registry, "gateway-grpc-client", AUTHORITY.issue("ingest"));
	}

	@Test
	void aCallerWithATrustedCertificatePublishesAndEachInvalidEventIsRefusedAlone() {
		ManagedChannel channel = this.channels.createChannel("publisher");
		Event valid = TestEvents.event("tls-1", "acme", Priority.P20);
		Instant future = Instant.now().plus(Duration.ofDays(1));
		Event fromTheFuture = TestEvents.event("tls-2", "acme", Priority.P20)
			.toBuilder()
			.setIngestedAt(ProtoTime.timestamp(future))
			.setSloDeadline(ProtoTime.timestamp(Priority.P20.deadlineFor(future)))
			.build();

		PublishEventsResponse response = PrepPublisherGrpc.newBlockingStub(channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.publishEvents(PublishEventsRequest.newBuilder().addEvents(valid).addEvents(fromTheFuture).build());

		assertThat(response.getResultsList()).extracting(PublishResult::getEventId, PublishResult::getOutcome)
			.containsExactly(tuple("tls-1", PublishResult.Outcome.ACCEPTED),
					tuple("tls-2", PublishResult.Outcome.REJECTED));
		assertThat(response.getResults(1).getError()).startsWith("INVALID_ARGUMENT: ingested_at");
		// Ingest's health probe of the publisher goes over the same secured channel.
		assertThat(new GrpcDownstreamHealthIndicator(channel, Duration.ofSeconds(10)).health().getStatus())
			.isEqualTo(org.springframework.boot.health.contributor.Status.UP);
	}

	@Test
	void aCallerWithoutACertificateIsRefused() throws IOException {
		assertRefused(
				TlsChannelCredentials.newBuilder().trustManager(CERTIFICATES.resolve("gateway-ca/ca.crt").toFile()));
	}

	@Test
	void aCallerWithACertificateFromAnotherAuthorityIsRefused() throws IOException {
		Pem stranger = TestCertificates.authority(CERTIFICATES, "other-ca").issue("stranger");
		assertRefused(TlsChannelCredentials.newBuilder()
			.keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile())
			// It trusts the publisher, so only the publisher's check can refuse it.
			.trustManager(CERTIFICATES.resolve("gateway-ca/ca.crt").toFile()));
	}

	@Test
	void aPlaintextCallerIsRefused() {
		assertRefused(InsecureChannelCredentials.create());
	}

	private static void assertRefused(TlsChannelCredentials.Builder credentials) {
		assertRefused(credentials.build());
	}

	private static void assertRefused(ChannelCredentials credentials) {
		ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> PrepPublisherGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.publishEvents(PublishEventsRequest.newBuilder()
						.addEvents(TestEvents.event("refused-1", "acme", Priority.P30))
						.build()))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static void addBundle(DynamicPropertyRegistry registry, String name, Pem pem) {
		for (String property : pem.bundleProperties(name)) {
			int equals = property.indexOf('=');
			registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	private static Path temporaryDirectory() {
		try {
			Path directory = Files.createTempDirectory("grpc-tls-it");
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A free loopback port below the range the kernel takes outgoing connections' ports
	 * from: between this choice and the server's bind, the context's Kafka clients open
	 * connections, and one of them could otherwise take the port.
	 */
	private static int freeLoopbackPort() {
		int ephemeralLow = ephemeralRangeStart();
		for (int attempt = 0; ephemeralLow > 20_000 && attempt < 200; attempt++) {
			int candidate = ThreadLocalRandom.current().nextInt(10_000, ephemeralLow);
			try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
			catch (IOException taken) {
				// Another process listens there: try another.
			}
		}
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Linux's first ephemeral port; 32768, its default, where it cannot be read. */
	private static int ephemeralRangeStart() {
		try {
			return Integer
				.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return 32768;
		}
	}

}
