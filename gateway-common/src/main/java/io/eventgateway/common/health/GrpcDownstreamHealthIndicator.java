package io.eventgateway.common.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the gRPC server this role depends on (ingest: the publisher; a worker: its
 * orchestrator) reports SERVING through the standard gRPC health service.
 */
public class GrpcDownstreamHealthIndicator extends AbstractHealthIndicator {

	private final HealthGrpc.HealthBlockingStub health;

	private final String target;

	private final Duration timeout;

	/**
	 * @param channel the channel to the downstream server
	 * @param timeout how long one check may take
	 */
	public GrpcDownstreamHealthIndicator(Channel channel, Duration timeout) {
		super("gRPC downstream check failed");
		this.health = HealthGrpc.newBlockingStub(channel);
		this.target = channel.authority();
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		HealthCheckResponse.ServingStatus status = this.health
			.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.check(HealthCheckRequest.getDefaultInstance())
			.getStatus();
		(status == HealthCheckResponse.ServingStatus.SERVING ? builder.up() : builder.down())
			.withDetail("target", this.target)
			.withDetail("status", status.name());
	}

}
