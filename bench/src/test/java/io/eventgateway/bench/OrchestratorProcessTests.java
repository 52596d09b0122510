package io.eventgateway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which exits at start are cured by starting again on new ports. */
class OrchestratorProcessTests {

	private static final int HTTP = 24001;

	private static final int GRPC = 24002;

	@Test
	void itsGrpcPortTakenAsNettySaysIt() {
		assertThat(OrchestratorProcess.portTaken(
				"""
						21:22:45.930 ERROR o.s.boot.SpringApplication - Application run failed
						Caused by: java.lang.IllegalStateException: Failed to start the grpc server
						Caused by: java.io.IOException: Failed to bind to address /127.0.0.1:24002
						Caused by: io.netty.channel.unix.Errors$NativeIoException: bind(..) failed with error(-98): Address already in use
						""",
				HTTP, GRPC))
			.isTrue();
	}

	@Test
	void itsHttpPortTakenAsEitherOfSpringBootsReportsSaysIt() {
		assertThat(OrchestratorProcess.portTaken("""
				Description:

				Web server failed to start. Port 24001 was already in use.
				""", HTTP, GRPC)).isTrue();
		assertThat(OrchestratorProcess.portTaken(
				"""
						Description:

						The Tomcat connector configured to listen on port 24001 failed to start. The port may already be in use or the connector may be misconfigured.
						""",
				HTTP, GRPC))
			.isTrue();
	}

	@Test
	void anotherPortTakenOrAnotherFailureIsNot() {
		assertThat(OrchestratorProcess.portTaken("""
				ERROR: transport error 202: bind failed: Address already in use
				ERROR: JDWP Transport dt_socket failed to initialize, TRANSPORT_INIT(510)
				""", HTTP, GRPC)).isFalse();
		assertThat(OrchestratorProcess.portTaken(
				"""
						Caused by: java.io.IOException: Failed to bind to address /127.0.0.1:25000
						Caused by: io.netty.channel.unix.Errors$NativeIoException: bind(..) failed with error(-98): Address already in use
						""",
				HTTP, GRPC))
			.isFalse();
		assertThat(OrchestratorProcess.portTaken(
				"""
						Caused by: java.lang.IllegalArgumentException: gateway.orchestrator.memory-threshold-percent.p30 + p20 + p10 (65.0% of the heap) over 90% of the max heap
						on 127.0.0.1:24002
						""",
				HTTP, GRPC))
			.isFalse();
	}

}
