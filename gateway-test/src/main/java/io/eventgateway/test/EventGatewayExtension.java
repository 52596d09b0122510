package io.eventgateway.test;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import io.eventgateway.client.GatewayClient;
import io.eventgateway.worker.processor.EventProcessor;

/**
 * JUnit 5 extension that starts a {@link TestGateway} once per test class (shared with
 * its {@code @Nested} classes), keeps it in the class's extension store so JUnit closes
 * it after the class, and resolves {@link TestGateway} parameters of constructors,
 * lifecycle methods and tests.
 *
 * <p>
 * Two forms: {@link EventGatewayTest @EventGatewayTest} on the class, or a static field
 * <pre class="code">
 * &#064;RegisterExtension
 * static EventGatewayExtension gateway = EventGatewayExtension.builder()
 *     .processor(myProcessor)
 *     .build();
 * </pre> whose {@link #gateway()} also serves static code such as
 * {@code @DynamicPropertySource} methods.
 *
 * <p>
 * Thread-safe as far as JUnit needs: the gateway starts under the store's
 * compute-if-absent.
 */
public final class EventGatewayExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(EventGatewayExtension.class);

	private static final String GATEWAY = "gateway";

	private final @Nullable GatewayOptions options;

	private volatile @Nullable TestGateway started;

	/** The form {@link EventGatewayTest @EventGatewayTest} registers: options from it. */
	public EventGatewayExtension() {
		this(null);
	}

	private EventGatewayExtension(@Nullable GatewayOptions options) {
		this.options = options;
	}

	/** Builds the extension of a {@code @RegisterExtension} field. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The gateway this extension started for the current test class.
	 * @throws IllegalStateException before the class's {@code beforeAll}
	 */
	public TestGateway gateway() {
		TestGateway gateway = this.started;
		if (gateway == null) {
			throw new IllegalStateException("the gateway starts before the test class's first @BeforeAll;"
					+ " it is not running yet (is the extension field static?)");
		}
		return gateway;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.started = gatewayFor(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == TestGateway.class || type == GatewayClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		try {
			TestGateway gateway = gatewayFor(extensionContext);
			return (parameterContext.getParameter().getType() == GatewayClient.class) ? gateway.client() : gateway;
		}
		catch (RuntimeException ex) {
			throw new ParameterResolutionException("cannot start the gateway for " + parameterContext.getParameter(),
					ex);
		}
	}

	private TestGateway gatewayFor(ExtensionContext context) {
		// The class-level context (or, for @Nested, its outermost class's one, found by
		// the store's lookup through the parents) owns the gateway.
		ExtensionContext classContext = classContext(context);
		return classContext.getStore(NAMESPACE)
			.computeIfAbsent(GATEWAY, (key) -> TestGateway.start(optionsFor(classContext)), TestGateway.class);
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

	private GatewayOptions optionsFor(ExtensionContext context) {
		if (this.options != null) {
			return this.options;
		}
		// A @Nested class runs with the options of the class it is nested in.
		for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
			Optional<EventGatewayTest> annotation = AnnotationSupport.findAnnotation(type, EventGatewayTest.class);
			if (annotation.isPresent()) {
				return optionsOf(annotation.get());
			}
		}
		return GatewayOptions.builder().build();
	}

	private static GatewayOptions optionsOf(EventGatewayTest annotation) {
		GatewayOptions.Builder builder = GatewayOptions.builder().partitions(annotation.partitions());
		if (!annotation.worker()) {
			builder.withoutWorker();
		}
		else if (annotation.processor() != EventProcessor.class) {
			builder.processor(instantiate(annotation.processor()));
		}
		if (!annotation.apiKey()) {
			builder.openIngest();
		}
		for (String property : annotation.properties()) {
			builder.property(property);
		}
		return builder.build();
	}

	private static EventProcessor instantiate(Class<? extends EventProcessor> type) {
		try {
			return type.getDeclaredConstructor().newInstance();
		}
		catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException ex) {
			throw new ExtensionConfigurationException(
					"@EventGatewayTest(processor = " + type.getName() + ") needs a public no-argument constructor", ex);
		}
	}

	/** Builds an {@link EventGatewayExtension} with {@link GatewayOptions}. */
	public static final class Builder {

		private final GatewayOptions.Builder options = GatewayOptions.builder();

		private Builder() {
		}

		/** Runs the kit's worker with this processor (the default ACKs everything). */
		public Builder processor(EventProcessor processor) {
			this.options.processor(processor);
			return this;
		}

		/** Runs no worker: the test connects its own. */
		public Builder withoutWorker() {
			this.options.withoutWorker();
			return this;
		}

		/** Partitions of each topic (2 by default). */
		public Builder partitions(int partitions) {
			this.options.partitions(partitions);
			return this;
		}

		/** Requires this API key, speaking for this company, on every ingest call. */
		public Builder apiKey(String apiKey, String companyId) {
			this.options.apiKey(apiKey, companyId);
			return this;
		}

		/** Runs ingest without API keys. */
		public Builder openIngest() {
			this.options.openIngest();
			return this;
		}

		/** Adds a Spring property ({@code key=value}) for every role. */
		public Builder property(String keyValue) {
			this.options.property(keyValue);
			return this;
		}

		/** The extension. */
		public EventGatewayExtension build() {
			return new EventGatewayExtension(this.options.build());
		}

	}

}
