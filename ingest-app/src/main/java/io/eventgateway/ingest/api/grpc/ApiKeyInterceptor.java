package io.eventgateway.ingest.api.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import io.eventgateway.ingest.auth.ApiKeys;

/**
 * Makes the API key of a gRPC call (metadata {@code x-api-key}) available to the service
 * handling it.
 */
public class ApiKeyInterceptor implements ServerInterceptor {

	static final Context.Key<String> API_KEY = Context.key("gateway-api-key");

	private static final Metadata.Key<String> HEADER = Metadata.Key.of(ApiKeys.HEADER,
			Metadata.ASCII_STRING_MARSHALLER);

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		String apiKey = headers.get(HEADER);
		if (apiKey == null) {
			return next.startCall(call, headers);
		}
		return Contexts.interceptCall(Context.current().withValue(API_KEY, apiKey), call, headers, next);
	}

}
