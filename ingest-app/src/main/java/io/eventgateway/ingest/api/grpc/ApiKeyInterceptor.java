package io.eventgateway.ingest.api.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import io.eventgateway.ingest.auth.AccessDeniedException;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.proto.v1.IngestServiceGrpc;

/**
 * Makes the API key of a gRPC call (metadata {@code x-api-key}) available to the service
 * handling it, and refuses an ingest call without a known key (when keys are required) on
 * its headers alone, before its message is read. Other services of the server (health)
 * are left alone.
 */
public class ApiKeyInterceptor implements ServerInterceptor {

	static final Context.Key<String> API_KEY = Context.key("gateway-api-key");

	private static final Metadata.Key<String> HEADER = Metadata.Key.of(ApiKeys.HEADER,
			Metadata.ASCII_STRING_MARSHALLER);

	private final ApiKeys apiKeys;

	public ApiKeyInterceptor(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		String apiKey = headers.get(HEADER);
		if (IngestServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
			try {
				this.apiKeys.companyFor(apiKey);
			}
			catch (AccessDeniedException ex) {
				call.close(Status.UNAUTHENTICATED.withDescription(ex.getMessage()), new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
		}
		if (apiKey == null) {
			return next.startCall(call, headers);
		}
		return Contexts.interceptCall(Context.current().withValue(API_KEY, apiKey), call, headers, next);
	}

}
