package io.eventgateway.worker.fleet;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties.ChannelConfig;
import org.springframework.grpc.client.NegotiationType;

/**
 * Opens the channel to one orchestrator replica with the settings of the named gRPC
 * channel {@code orchestrator} ({@code spring.grpc.client.channels.orchestrator.*}:
 * inbound limits, keep-alive, idle timeout, user agent).
 *
 * <p>
 * Spring gRPC's {@code GrpcChannelFactory} is not used: it looks the settings up by the
 * target it is given, so a channel to an arbitrary {@code ip:port} would get the default
 * channel's settings, not {@code orchestrator}'s, and it keeps every channel it ever
 * built until the application stops, while replicas come and go for as long as the worker
 * runs.
 *
 * <p>
 * Thread-safe: stateless after construction.
 */
public final class OrchestratorChannels implements Function<InetSocketAddress, ManagedChannel> {

	/** The named channel whose settings apply. */
	public static final String CHANNEL = "orchestrator";

	private static final String PREFIX = "spring.grpc.client.channels." + CHANNEL;

	private final ChannelConfig settings;

	/**
	 * @param properties Spring gRPC's client settings
	 * @throws IllegalArgumentException when they still give the orchestrator channel an
	 * address (now {@code gateway.worker.orchestrators}), or ask for TLS, which these
	 * channels do not offer
	 */
	public OrchestratorChannels(GrpcClientProperties properties) {
		ChannelConfig named = properties.getChannels().get(CHANNEL);
		if (named != null && !new ChannelConfig().getAddress().equals(named.getAddress())) {
			throw new IllegalArgumentException(PREFIX + ".address (" + named.getAddress()
					+ ") is no longer read: list the orchestrators as host:port in " + OrchestratorTarget.SETTING
					+ " (or ORCHESTRATOR_ADDRESS) instead");
		}
		this.settings = (named != null) ? named : properties.getDefaultChannel();
		if (this.settings.getNegotiationType() != NegotiationType.PLAINTEXT
				|| Boolean.TRUE.equals(this.settings.getSsl().isEnabled())) {
			throw new IllegalArgumentException(PREFIX + ".negotiation-type / " + PREFIX
					+ ".ssl.enabled: the channels to the orchestrators are plaintext only");
		}
	}

	@Override
	public ManagedChannel apply(InetSocketAddress address) {
		// The IP, never the name it was resolved from: this channel is for one replica.
		ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(address.getAddress().getHostAddress(),
				address.getPort(), InsecureChannelCredentials.create());
		if (this.settings.getUserAgent() != null) {
			builder.userAgent(this.settings.getUserAgent());
		}
		if (this.settings.isEnableKeepAlive()) {
			builder.keepAliveTime(this.settings.getKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
				.keepAliveTimeout(this.settings.getKeepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
				.keepAliveWithoutCalls(this.settings.isKeepAliveWithoutCalls());
		}
		if (this.settings.getMaxInboundMessageSize() != null) {
			builder.maxInboundMessageSize(Math.toIntExact(this.settings.getMaxInboundMessageSize().toBytes()));
		}
		if (this.settings.getMaxInboundMetadataSize() != null) {
			builder.maxInboundMetadataSize(Math.toIntExact(this.settings.getMaxInboundMetadataSize().toBytes()));
		}
		if (this.settings.getIdleTimeout() != null) {
			builder.idleTimeout(this.settings.getIdleTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		return builder.build();
	}

}
