package io.eventgateway.standalone.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;

import io.eventgateway.standalone.broker.KafkaBrokerProcess.Node;
import io.eventgateway.standalone.process.LoopbackPorts;

/**
 * A Kafka cluster of several nodes in KRaft combined mode, each broker and controller and
 * its own child JVM, every node a voter of the controller quorum. Any node can be killed
 * and started again on its own data while the others serve.
 */
public final class KafkaQuorum implements AutoCloseable {

	private final Path dir;

	private final String clusterId = Uuid.randomUuid().toString();

	private final List<Node> nodes;

	private final List<String> jvmOptions;

	private final List<List<String>> commandPrefixes;

	private final KafkaBrokerProcess[] processes;

	private KafkaQuorum(Path dir, List<Node> nodes, List<String> jvmOptions, List<List<String>> commandPrefixes) {
		this.dir = dir;
		this.nodes = List.copyOf(nodes);
		this.jvmOptions = List.copyOf(jvmOptions);
		this.commandPrefixes = List.copyOf(commandPrefixes);
		this.processes = new KafkaBrokerProcess[nodes.size()];
	}

	/**
	 * Starts {@code size} nodes on free loopback port pairs, node ids 1 to {@code size},
	 * data under {@code dir/node-<id>}, and returns once each accepts clients.
	 * @param jvmOptions every node's JVM options (its heap, say)
	 */
	public static KafkaQuorum start(Path dir, int size, List<String> jvmOptions)
			throws IOException, InterruptedException {
		return start(dir, size, jvmOptions, new LoopbackPorts());
	}

	/**
	 * {@link #start(Path, int, List)} on ports from {@code ports}: the caller's, when it
	 * holds ports it has handed out but not yet bound (a role not started yet), which the
	 * nodes must not take.
	 */
	public static KafkaQuorum start(Path dir, int size, List<String> jvmOptions, LoopbackPorts ports)
			throws IOException, InterruptedException {
		List<Node> nodes = new ArrayList<>();
		List<List<String>> prefixes = new ArrayList<>();
		for (int id = 1; id <= size; id++) {
			nodes.add(new Node(id, "127.0.0.1", ports.nextPair()));
			prefixes.add(List.of());
		}
		return start(dir, nodes, jvmOptions, prefixes);
	}

	/**
	 * Starts these nodes, each under its own command prefix (a network namespace, say),
	 * and returns once each accepts clients.
	 */
	public static KafkaQuorum start(Path dir, List<Node> nodes, List<String> jvmOptions,
			List<List<String>> commandPrefixes) throws IOException, InterruptedException {
		KafkaQuorum quorum = new KafkaQuorum(dir, nodes, jvmOptions, commandPrefixes);
		try {
			for (int i = 0; i < nodes.size(); i++) {
				quorum.launch(i);
			}
			for (KafkaBrokerProcess process : quorum.processes) {
				process.awaitListening();
			}
			return quorum;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			quorum.close();
			throw ex;
		}
	}

	private void launch(int index) throws IOException, InterruptedException {
		Node node = this.nodes.get(index);
		this.processes[index] = KafkaBrokerProcess.launch(this.dir.resolve("node-" + node.id()), this.clusterId, node,
				this.nodes, this.jvmOptions, this.commandPrefixes.get(index));
	}

	/** Every node's client address, comma-separated. */
	public String bootstrapServers() {
		return this.nodes.stream().map(Node::address).collect(Collectors.joining(","));
	}

	public List<Node> nodes() {
		return this.nodes;
	}

	/** {@code kill -9} of one node; its data stays for {@link #restart}. */
	public void kill(int nodeId) throws InterruptedException {
		this.processes[indexOf(nodeId)].kill();
	}

	/** Starts a killed node again on its data and waits until it accepts clients. */
	public void restart(int nodeId) throws IOException, InterruptedException {
		int index = indexOf(nodeId);
		launch(index);
		this.processes[index].awaitListening();
	}

	/** {@code kill -9} of every node. */
	public void killAll() throws InterruptedException {
		for (KafkaBrokerProcess process : this.processes) {
			process.kill();
		}
	}

	/** Starts every node again on its data, once all are killed. */
	public void restartAll() throws IOException, InterruptedException {
		for (int i = 0; i < this.processes.length; i++) {
			launch(i);
		}
		for (KafkaBrokerProcess process : this.processes) {
			process.awaitListening();
		}
	}

	public boolean isAlive(int nodeId) {
		return this.processes[indexOf(nodeId)].isAlive();
	}

	private int indexOf(int nodeId) {
		for (int i = 0; i < this.nodes.size(); i++) {
			if (this.nodes.get(i).id() == nodeId) {
				return i;
			}
		}
		throw new IllegalArgumentException("no node " + nodeId + " in " + this.nodes);
	}

	/** Stops every node cleanly. */
	@Override
	public void close() throws InterruptedException {
		for (KafkaBrokerProcess process : this.processes) {
			if (process != null) {
				process.close();
			}
		}
	}

}
