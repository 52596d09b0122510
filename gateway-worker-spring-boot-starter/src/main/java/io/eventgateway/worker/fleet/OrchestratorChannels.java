package io.eventgateway.worker.fleet;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;

import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties.ChannelConfig;
import org.springframework.boot.ssl.SslBundle;
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
 * TLS comes from an SSL bundle ({@code gateway.worker.tls.bundle}): its trust material
 * checks the orchestrator's certificate, its key material answers an orchestrator that
 * requires client certificates. The certificate is checked against the host name the
 * address was resolved from (a headless service's name), or against the configured
 * authority, never against the replica's IP.
 *
 * <p>
 * Thread-safe: stateless after construction.
 */
public final class OrchestratorChannels implements Function<InetSocketAddress, ManagedChannel> {

	/** The named channel whose settings apply. */
	public static final String CHANNEL = "orchestrator";

	private static final String PREFIX = "spring.grpc.client.channels." + CHANNEL;

	private final ChannelConfig settings;

	private final ChannelCredentials credentials;

	private final String authority;

	/**
	 * Plaintext channels.
	 * @param properties Spring gRPC's client settings
	 */
	public OrchestratorChannels(GrpcClientProperties properties) {
		this(properties, null, null);
	}

	/**
	 * @param properties Spring gRPC's client settings
	 * @param tls the SSL bundle of the channels, or {@code null} for plaintext
	 * @param authority the name the orchestrators' certificate must hold, or {@code null}
	 * for the host name each address was resolved from
	 * @throws IllegalArgumentException when the settings still give the orchestrator
	 * channel an address (now {@code gateway.worker.orchestrators}), or ask for TLS there
	 * rather than in {@code gateway.worker.tls}
	 */
	public OrchestratorChannels(GrpcClientProperties properties, SslBundle tls, String authority) {
		ChannelConfig named = properties.getChannels().get(CHANNEL);
		if (named != null && !new ChannelConfig().getAddress().equals(named.getAddress())) {
			throw new IllegalArgumentException(PREFIX + ".address (" + named.getAddress()
					+ ") is no longer read: list the orchestrators as host:port in " + OrchestratorTarget.SETTING
					+ " (or ORCHESTRATOR_ADDRESS) instead");
		}
		this.settings = (named != null) ? named : properties.getDefaultChannel();
		if (this.settings.getNegotiationType() != NegotiationType.PLAINTEXT
				|| this.settings.getSsl().determineEnabled()) {
			throw new IllegalArgumentException(PREFIX + ".negotiation-type / " + PREFIX
					+ ".ssl.*: not read for the channels to the orchestrators; set gateway.worker.tls.bundle instead");
		}
		this.credentials = (tls != null) ? credentials(tls) : InsecureChannelCredentials.create();
		this.authority = (authority != null && !authority.isBlank()) ? authority : null;
	}

	private static ChannelCredentials credentials(SslBundle bundle) {
		return TlsChannelCredentials.newBuilder()
			.keyManager(bundle.getManagers().getKeyManagerFactory().getKeyManagers())
			.trustManager(bundle.getManagers().getTrustManagerFactory().getTrustManagers())
			.build();
	}

	@Override
	public ManagedChannel apply(InetSocketAddress address) {
		// The IP, never the name it was resolved from: this channel is for one replica.
		ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(address.getAddress().getHostAddress(),
				address.getPort(), this.credentials);
		if (!(this.credentials instanceof InsecureChannelCredentials)) {
			// getHostString: the name the address was resolved from, without a reverse
			// lookup.
			builder.overrideAuthority(
					(this.authority != null) ? this.authority : address.getHostString() + ":" + address.getPort());
		}
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
