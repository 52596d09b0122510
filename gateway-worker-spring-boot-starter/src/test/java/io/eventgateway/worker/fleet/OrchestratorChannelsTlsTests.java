package io.eventgateway.worker.fleet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.test.TestCertificates;
import io.eventgateway.common.test.TestCertificates.Pem;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The worker's channels to an orchestrator that serves TLS and requires client
 * certificates, over a real loopback socket with certificates made up for the test.
 */
class OrchestratorChannelsTlsTests {

	@TempDir
	Path certificates;

	private TestCertificates authority;

	private Server orchestrator;

	private final List<ManagedChannel> channels = new ArrayList<>();

	@BeforeEach
	void startOrchestrator() throws Exception {
		this.authority = TestCertificates.authority(this.certificates, "gateway-ca");
		Pem server = this.authority.issue("orchestrator", "orchestrator-headless");
		this.orchestrator = Grpc
			.newServerBuilderForPort(0,
					TlsServerCredentials.newBuilder()
						.keyManager(server.certificate().toFile(), server.privateKey().toFile())
						.trustManager(server.ca().toFile())
						.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
						.build())
			.addService(new EmptyOrchestrator())
			.build()
			.start();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.channels.forEach(ManagedChannel::shutdownNow);
		this.orchestrator.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void aWorkerWithATrustedCertificateFetchesOverTls() throws Exception {
		SslBundle bundle = bundle(this.authority.issue("worker").bundleProperties("client"));

		FetchTasksResponse response = fetch(new OrchestratorChannels(grpcClient(), bundle, null));

		assertThat(response.getTasksCount()).isZero();
		assertThat(response.getLeaseId()).isEqualTo("empty");
	}

	@Test
	void theConfiguredAuthorityIsTheNameCheckedInTheOrchestratorsCertificate() throws Exception {
		SslBundle bundle = bundle(this.authority.issue("worker").bundleProperties("client"));

		assertThat(fetch(new OrchestratorChannels(grpcClient(), bundle, "orchestrator-headless")).getLeaseId())
			.isEqualTo("empty");
		assertRefused(new OrchestratorChannels(grpcClient(), bundle, "someone-else"));
	}

	@Test
	void aPlaintextWorkerIsRefused() {
		assertRefused(new OrchestratorChannels(grpcClient()));
	}

	@Test
	void aWorkerWithoutACertificateIsRefused() throws Exception {
		Pem worker = this.authority.issue("worker");
		SslBundle trustOnly = bundle(
				List.of("spring.ssl.bundle.pem.client.truststore.certificate=" + worker.ca().toUri()));

		assertRefused(new OrchestratorChannels(grpcClient(), trustOnly, null));
	}

	@Test
	void aWorkerWithACertificateFromAnotherAuthorityIsRefused() throws Exception {
		Pem stranger = TestCertificates.authority(this.certificates, "other-ca").issue("stranger");
		List<String> properties = List.of(
				"spring.ssl.bundle.pem.client.keystore.certificate=" + stranger.certificate().toUri(),
				"spring.ssl.bundle.pem.client.keystore.private-key=" + stranger.privateKey().toUri(),
				// It trusts the orchestrator, so only the orchestrator's check can refuse
				// it.
				"spring.ssl.bundle.pem.client.truststore.certificate="
						+ this.certificates.resolve("gateway-ca/ca.crt").toUri());

		assertRefused(new OrchestratorChannels(grpcClient(), bundle(properties), null));
	}

	@Test
	void tlsAskedOfSpringGrpcsOrchestratorChannelIsRefusedNamingTheWorkerSetting() {
		GrpcClientProperties properties = grpcClient(
				Map.of("spring.grpc.client.channels." + OrchestratorChannels.CHANNEL + ".ssl.bundle", "client"));

		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new OrchestratorChannels(properties, null, null))
			.withMessageContaining("gateway.worker.tls.bundle");
	}

	private void assertRefused(OrchestratorChannels channels) {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> fetch(channels))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
	}

	private FetchTasksResponse fetch(OrchestratorChannels channels) throws Exception {
		// Resolved from "localhost", as a headless service's name would be.
		InetSocketAddress address = new InetSocketAddress(
				InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 }), this.orchestrator.getPort());
		ManagedChannel channel = channels.apply(address);
		this.channels.add(channel);
		return EventsOrchestratorGrpc.newBlockingStub(channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.fetchTasks(FetchTasksRequest.newBuilder().setMaxTasks(1).build());
	}

	private static GrpcClientProperties grpcClient() {
		return grpcClient(Map.of());
	}

	private static GrpcClientProperties grpcClient(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("spring.grpc.client",
				GrpcClientProperties.class);
	}

	private static SslBundle bundle(List<String> properties) {
		SslBundle[] bundle = new SslBundle[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> bundle[0] = context.getBean(SslBundles.class).getBundle("client"));
		return bundle[0];
	}

	/** Answers every fetch with an empty lease. */
	private static final class EmptyOrchestrator extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

		@Override
		public void fetchTasks(FetchTasksRequest request, StreamObserver<FetchTasksResponse> responseObserver) {
			responseObserver.onNext(FetchTasksResponse.newBuilder().setLeaseId("empty").build());
			responseObserver.onCompleted();
		}

	}

}
