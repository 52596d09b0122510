package io.eventgateway.worker.fleet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link OrchestratorFleet} and {@link ReplicaRotation} with a fake resolver and channels
 * that only report a state.
 */
class OrchestratorFleetTests {

	private static final int PORT = 9082;

	/** What the fake DNS answers for {@code orchestrators}; changed by the tests. */
	private final List<InetAddress> resolved = new CopyOnWriteArrayList<>();

	private volatile boolean dnsDown;

	private final Map<String, FakeChannel> channels = new ConcurrentHashMap<>();

	private final List<String> opened = new CopyOnWriteArrayList<>();

	private final OrchestratorFleet fleet = new OrchestratorFleet(
			List.of(new OrchestratorTarget("orchestrators", PORT)), (host) -> {
				if (this.dnsDown) {
					throw new UnknownHostException(host);
				}
				return List.copyOf(this.resolved);
			}, this::open);

	@AfterEach
	void close() {
		this.fleet.close();
	}

	@Test
	void everyResolvedAddressGetsOneChannel() throws Exception {
		resolve(1, 2, 3);
		this.fleet.refresh();
		this.fleet.refresh();

		assertThat(addresses(this.fleet.active())).containsExactly("127.0.0.1:9082", "127.0.0.2:9082",
				"127.0.0.3:9082");
		assertThat(this.opened).containsExactly("127.0.0.1:9082", "127.0.0.2:9082", "127.0.0.3:9082");
	}

	@Test
	void aReplicaAddedToTheServiceIsUsedFromTheNextRefresh() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		ReplicaRotation rotation = new ReplicaRotation(this.fleet, 0);
		assertThat(picks(rotation, 4)).containsExactly("127.0.0.1:9082", "127.0.0.2:9082", "127.0.0.1:9082",
				"127.0.0.2:9082");

		resolve(1, 2, 3);
		this.fleet.refresh();

		assertThat(picks(rotation, 3)).containsExactlyInAnyOrder("127.0.0.1:9082", "127.0.0.2:9082", "127.0.0.3:9082");
	}

	@Test
	void aVanishedReplicaKeepsItsChannelUntilTheLeaseTakenFromItIsAnswered() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		OrchestratorFleet.Hold lease = this.fleet.pick(1, Set.of());
		assertThat(lease.replica().address()).isEqualTo("127.0.0.2:9082");

		resolve(1);
		this.fleet.refresh();

		assertThat(addresses(this.fleet.active())).containsExactly("127.0.0.1:9082");
		assertThat(this.channels.get("127.0.0.2:9082").isShutdown()).as("renewals still need it").isFalse();
		assertThat(this.fleet.replicas()).filteredOn(OrchestratorFleet.ReplicaState::retiring)
			.singleElement()
			.satisfies((state) -> assertThat(state.holds()).isEqualTo(1));
		// No new fetch goes to it meanwhile.
		assertThat(picks(new ReplicaRotation(this.fleet, 0), 3)).containsOnly("127.0.0.1:9082");

		lease.close();
		lease.close();

		assertThat(this.channels.get("127.0.0.2:9082").isShutdown()).isTrue();
		assertThat(this.fleet.replicas()).extracting((state) -> state.replica().address())
			.containsExactly("127.0.0.1:9082");
	}

	@Test
	void aVanishedReplicaThatNothingHoldsIsClosedAtOnce() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();

		resolve(2);
		this.fleet.refresh();

		assertThat(this.channels.get("127.0.0.1:9082").isShutdown()).isTrue();
		assertThat(this.fleet.replicas()).hasSize(1);
	}

	@Test
	void aRetiringReplicaResolvedAgainKeepsItsChannel() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		OrchestratorFleet.Hold lease = this.fleet.pick(1, Set.of());
		resolve(1);
		this.fleet.refresh();

		resolve(1, 2);
		this.fleet.refresh();
		lease.close();

		assertThat(this.channels.get("127.0.0.2:9082").isShutdown()).isFalse();
		assertThat(addresses(this.fleet.active())).containsExactly("127.0.0.1:9082", "127.0.0.2:9082");
		assertThat(this.opened).hasSize(2);
	}

	@Test
	void loopsStartingAtDifferentTurnsAskDifferentReplicas() throws Exception {
		resolve(1, 2, 3);
		this.fleet.refresh();

		List<String> first = new ArrayList<>();
		for (int loop = 0; loop < 3; loop++) {
			first.addAll(picks(new ReplicaRotation(this.fleet, loop), 1));
		}

		assertThat(first).containsExactly("127.0.0.1:9082", "127.0.0.2:9082", "127.0.0.3:9082");
	}

	@Test
	void theRotationSkipsAReplicaWhoseChannelIsFailing() throws Exception {
		resolve(1, 2, 3);
		this.fleet.refresh();
		this.channels.get("127.0.0.2:9082").state(ConnectivityState.TRANSIENT_FAILURE);

		assertThat(picks(new ReplicaRotation(this.fleet, 0), 4)).containsExactly("127.0.0.1:9082", "127.0.0.3:9082",
				"127.0.0.3:9082", "127.0.0.1:9082");
	}

	@Test
	void aReadyReplicaIsPreferredToOneStillConnecting() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		this.channels.get("127.0.0.1:9082").state(ConnectivityState.CONNECTING);
		this.channels.get("127.0.0.2:9082").state(ConnectivityState.READY);

		assertThat(picks(new ReplicaRotation(this.fleet, 0), 2)).containsOnly("127.0.0.2:9082");
	}

	@Test
	void aFailingReplicaIsPickedWhenNoneIsUsable() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		this.channels.values().forEach((channel) -> channel.state(ConnectivityState.TRANSIENT_FAILURE));

		assertThat(picks(new ReplicaRotation(this.fleet, 0), 2)).containsExactly("127.0.0.1:9082", "127.0.0.2:9082");
	}

	@Test
	void aFetchThatFailedOverTriesEveryReplicaOnceThenGivesUp() throws Exception {
		resolve(1, 2, 3);
		this.fleet.refresh();
		ReplicaRotation rotation = new ReplicaRotation(this.fleet, 0);
		Set<OrchestratorReplica> tried = new HashSet<>();

		for (int i = 0; i < 3; i++) {
			OrchestratorFleet.Hold hold = rotation.next(tried);
			tried.add(hold.replica());
			hold.close();
		}

		assertThat(addresses(new ArrayList<>(tried))).containsExactlyInAnyOrder("127.0.0.1:9082", "127.0.0.2:9082",
				"127.0.0.3:9082");
		assertThat(rotation.next(tried)).isNull();
	}

	@Test
	void aTargetThatNoLongerResolvesKeepsTheReplicasItHad() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		this.dnsDown = true;

		assertThatIllegalStateException().isThrownBy(this.fleet::refresh)
			.withMessageContaining("orchestrators:9082")
			.withMessageContaining(OrchestratorTarget.SETTING);
		assertThat(addresses(this.fleet.active())).containsExactly("127.0.0.1:9082", "127.0.0.2:9082");
		assertThat(this.channels.values()).noneMatch(FakeChannel::isShutdown);
	}

	@Test
	void aTargetThatNeverResolvedLeavesTheFleetEmptyUntilItDoes() throws Exception {
		this.dnsDown = true;
		assertThatIllegalStateException().isThrownBy(this.fleet::refresh);
		assertThat(this.fleet.pick(0, Set.of())).isNull();

		this.dnsDown = false;
		resolve(1);
		this.fleet.refresh();

		assertThat(this.fleet.pick(0, Set.of())).isNotNull();
	}

	@Test
	void aFailingChannelHasItsReconnectBackOffResetAtEachRefresh() throws Exception {
		resolve(1);
		this.fleet.refresh();
		this.channels.get("127.0.0.1:9082").state(ConnectivityState.TRANSIENT_FAILURE);

		this.fleet.refresh();

		assertThat(this.channels.get("127.0.0.1:9082").backoffResets()).isEqualTo(1);
	}

	@Test
	void closingTheFleetShutsEveryChannelDown() throws Exception {
		resolve(1, 2);
		this.fleet.refresh();
		OrchestratorFleet.Hold lease = this.fleet.pick(0, Set.of());

		this.fleet.close();
		lease.close();

		assertThat(this.channels.values()).allMatch(FakeChannel::isShutdown);
		assertThat(this.fleet.pick(0, Set.of())).isNull();
	}

	private void resolve(int... lastOctets) throws UnknownHostException {
		this.resolved.clear();
		for (int octet : lastOctets) {
			this.resolved.add(InetAddress.getByAddress("orchestrators", new byte[] { 127, 0, 0, (byte) octet }));
		}
	}

	private FakeChannel open(InetSocketAddress address) {
		String name = address.getAddress().getHostAddress() + ":" + address.getPort();
		this.opened.add(name);
		FakeChannel channel = new FakeChannel(name);
		this.channels.put(name, channel);
		return channel;
	}

	private static List<String> picks(ReplicaRotation rotation, int count) {
		List<String> picked = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			try (OrchestratorFleet.Hold hold = rotation.next(Set.of())) {
				picked.add(hold.replica().address());
			}
		}
		return picked;
	}

	private static List<String> addresses(List<OrchestratorReplica> replicas) {
		return replicas.stream().map(OrchestratorReplica::address).toList();
	}

}
