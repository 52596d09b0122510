package io.eventgateway.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import io.eventgateway.worker.processor.EventProcessor;

/**
 * Starts a gateway in the test JVM once for the test class, on free loopback ports, and
 * hands its tests a {@link TestGateway} parameter. For options this annotation does not
 * offer (a processor instance, a property per test class built at run time), register
 * {@link EventGatewayExtension#builder()}'s extension with {@code @RegisterExtension}
 * instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EventGatewayExtension.class)
public @interface EventGatewayTest {

	/**
	 * Whether the kit runs a worker; off when the test connects its own to
	 * {@link TestGateway#orchestratorGrpcTarget()}.
	 */
	boolean worker() default true;

	/**
	 * The processor of the kit's worker, made with its no-argument constructor;
	 * {@link EventProcessor} itself (the default) means one that ACKs every event.
	 */
	Class<? extends EventProcessor> processor() default EventProcessor.class;

	/** Partitions of each topic the gateway creates. */
	int partitions() default 2;

	/** Whether ingest requires {@link GatewayOptions#DEFAULT_API_KEY}. */
	boolean apiKey() default true;

	/** Extra Spring properties ({@code key=value}) for every role. */
	String[] properties() default {};

}
