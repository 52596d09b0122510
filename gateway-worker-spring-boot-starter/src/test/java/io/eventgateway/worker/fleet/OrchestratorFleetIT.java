package io.eventgateway.worker.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker against three orchestrator replicas on real sockets behind one name, the way a
 * headless service presents a StatefulSet's pods: it fetches from every replica, each
 * lease is renewed only with the replica that issued it, and replicas that start or stop
 * resolving are picked up and let go.
 */
class OrchestratorFleetIT {

	private static final String SERVICE = "orchestrators.fleet.test";

	/** What the fake DNS answers for {@link #SERVICE}; changed by the tests. */
	private final List<InetAddress> resolved = new CopyOnWriteArrayList<>();

	private final List<FakeReplica> replicas = new ArrayList<>();

	private ConfigurableApplicationContext worker;

	private int port;

	@BeforeEach
	void startReplicas() throws Exception {
		IOException lastFailure = null;
		// The port must be free on all three loopback addresses; another process may
		// hold it on one of them.
		for (int attempt = 0; attempt < 5 && this.replicas.isEmpty(); attempt++) {
			this.port = freePort();
			try {
				for (int index = 0; index < 3; index++) {
					this.replicas.add(new FakeReplica(index, this.port));
				}
			}
			catch (IOException ex) {
				lastFailure = ex;
				closeReplicas();
			}
		}
		assertThat(this.replicas).as("three replicas on one port: %s", lastFailure).hasSize(3);
	}

	@AfterEach
	void stop() throws Exception {
		if (this.worker != null) {
			this.worker.close();
		}
		closeReplicas();
	}

	@Test
	void theWorkerFetchesFromEveryReplicaAndRenewsEachLeaseOnlyWithItsIssuer() {
		resolve(0, 1, 2);
		startWorker();

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.replicas).allSatisfy((replica) -> {
			assertThat(replica.fetches()).isGreaterThanOrEqualTo(3);
			assertThat(replica.renewedLeases()).hasSizeGreaterThanOrEqualTo(3);
		}));

		assertThat(this.replicas).allSatisfy(
				(replica) -> assertThat(replica.renewedLeases()).as("leases renewed with replica %d", replica.index())
					.allSatisfy((leaseId) -> assertThat(FakeReplica.issuer(leaseId)).isEqualTo(replica.index())));
		MeterRegistry meters = this.worker.getBean(MeterRegistry.class);
		for (FakeReplica replica : this.replicas) {
			assertThat(meters
				.counter("gateway.worker.fetches", "replica", Integer.toString(replica.index()), "outcome", "tasks")
				.count()).isPositive();
		}
		Health health = this.worker.getBean(OrchestratorFleetHealthIndicator.class).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("serving", 3);
		assertThat(((Map<?, ?>) health.getDetails().get("replicas")).keySet()).map(Object::toString)
			.containsExactlyInAnyOrder("127.0.0.1:" + this.port, "127.0.0.2:" + this.port, "127.0.0.3:" + this.port);
	}

	@Test
	void aReplicaIsUsedOnceItResolvesAndLetGoOnceItNoLongerDoes() throws Exception {
		resolve(0, 1);
		startWorker();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.replicas.get(0).fetches() > 0 && this.replicas.get(1).fetches() > 0);
		assertThat(this.replicas.get(2).fetches()).as("not resolved yet").isZero();

		resolve(0, 1, 2);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.replicas.get(2).fetches() > 2);
		assertThat(this.replicas.get(2).renewedLeases())
			.allSatisfy((leaseId) -> assertThat(FakeReplica.issuer(leaseId)).isEqualTo(2));

		resolve(1, 2);
		OrchestratorFleet fleet = this.worker.getBean(OrchestratorFleet.class);
		// Gone from the fleet once the batch leased from it is answered.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> fleet.replicas()
				.stream()
				.noneMatch((state) -> state.replica().address().startsWith("127.0.0.1:")));
		int fetches = this.replicas.get(0).fetches();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.replicas.get(0).fetches() == fetches);
		assertThat(this.replicas.get(0).renewedLeases())
			.allSatisfy((leaseId) -> assertThat(FakeReplica.issuer(leaseId)).isZero());
	}

	private void startWorker() {
		// Each batch is held until its lease has been renewed once, wherever the
		// renewal went; where it went is what the tests check.
		EventProcessor processor = new EventProcessor() {

			@Override
			public void process(Event event) {
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				String leaseId = events.get(0).getEventId().replace("-event", "");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> OrchestratorFleetIT.this.replicas.stream()
						.anyMatch((replica) -> replica.renewedLeases().contains(leaseId)));
				return EventProcessor.super.processBatch(events);
			}

		};
		AddressResolver dns = (host) -> {
			assertThat(host).isEqualTo(SERVICE);
			return List.copyOf(this.resolved);
		};
		this.worker = GatewayApplications.builder(FleetWorker.class, "worker-fleet-it").initializers((context) -> {
			((GenericApplicationContext) context).registerBean(EventProcessor.class, () -> processor);
			((GenericApplicationContext) context).registerBean(AddressResolver.class, () -> dns);
		})
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--server.address=127.0.0.1", "--spring.main.banner-mode=off",
					"--gateway.topics.prefix=worker-fleet-it",
					"--gateway.worker.orchestrators=" + SERVICE + ":" + this.port,
					"--gateway.worker.discovery-interval=200ms", "--gateway.worker.concurrency=3",
					"--gateway.worker.max-wait=100ms");
	}

	private void resolve(int... indexes) {
		List<InetAddress> addresses = new ArrayList<>();
		for (int index : indexes) {
			addresses.add(FakeReplica.address(index));
		}
		this.resolved.clear();
		this.resolved.addAll(addresses);
	}

	private void closeReplicas() throws InterruptedException {
		for (FakeReplica replica : this.replicas) {
			replica.close();
		}
		this.replicas.clear();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** A worker of the starter alone; its processor is registered by the test. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class FleetWorker {

	}

}
