package io.eventgateway.common.settings;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.environment.EnvironmentGuard;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

import jakarta.validation.Validator;

/**
 * A group of settings that may change while the application runs: bound once at startup
 * (where a bad value fails the start), then bound again whenever the environment changes
 * under its prefix ({@code /actuator/refresh}, {@code /actuator/busrefresh}). A new value
 * that does not bind or validate is rejected: the last good value stays in force, the
 * rejection is logged at WARN and counted. So is a new value that moves a guarded cluster
 * address (see {@link EnvironmentGuard}) somewhere this instance's environment forbids: a
 * refresh must not do what a start would refuse.
 *
 * <p>
 * Logs name the keys that changed, never their values, which may be secrets.
 *
 * <p>
 * Components read {@link #current()} each time they need a value, so a change takes
 * effect on their next use. Thread-safe.
 *
 * @param <T> the settings type, usually a validated record
 */
public final class HotSettings<T> implements ApplicationListener<EnvironmentChangeEvent> {

	private static final Log logger = LogFactory.getLog(HotSettings.class);

	private static final Pattern VALUE_IN_MESSAGE = Pattern.compile("value \\[[^\\]]*\\]");

	private final String prefix;

	private final Class<T> type;

	private final Environment environment;

	private final SpringValidatorAdapter validator;

	private final Map<Rejection, AtomicLong> rejections = new EnumMap<>(Rejection.class);

	private volatile T current;

	private volatile String lastRejection;

	private final Consumer<? super T> check;

	private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Binds the settings now.
	 * @throws org.springframework.boot.context.properties.bind.BindException when they do
	 * not bind or validate
	 */
	public HotSettings(String prefix, Class<T> type, Environment environment, Validator validator) {
		this(prefix, type, environment, validator, (settings) -> {
		});
	}

	/**
	 * Binds the settings now, with a further check of every bound value for rules that
	 * need more than the settings themselves (the heap size, say).
	 * @param check throws {@link IllegalArgumentException} with a message naming the
	 * settings when a value is not acceptable; it then fails the start, or rejects the
	 * refresh like a value that does not validate
	 * @throws org.springframework.boot.context.properties.bind.BindException when they do
	 * not bind or validate
	 * @throws IllegalArgumentException when the check refuses them
	 */
	public HotSettings(String prefix, Class<T> type, Environment environment, Validator validator,
			Consumer<? super T> check) {
		this.prefix = prefix;
		this.type = type;
		this.environment = environment;
		this.validator = new SpringValidatorAdapter(validator);
		this.check = check;
		for (Rejection reason : Rejection.values()) {
			this.rejections.put(reason, new AtomicLong());
		}
		this.current = bind();
	}

	/** The settings in force. */
	public T current() {
		return this.current;
	}

	/**
	 * Registers a listener told of every accepted new value, on the refreshing thread,
	 * after it is in force; for components holding state derived from the settings
	 * (clients, pools).
	 */
	public void onChange(Consumer<T> listener) {
		this.listeners.add(listener);
	}

	/** Refreshes that were rejected since start, for any reason. */
	public long rejectionCount() {
		return this.rejections.values().stream().mapToLong(AtomicLong::get).sum();
	}

	/** Refreshes that were rejected since start for this reason. */
	public long rejectionCount(Rejection reason) {
		return this.rejections.get(reason).get();
	}

	/** Why the last refresh was rejected, or {@code null} when none was. */
	public String lastRejection() {
		return this.lastRejection;
	}

	/** The prefix of these settings. */
	public String prefix() {
		return this.prefix;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		Set<String> changed = new TreeSet<>();
		event.getKeys().stream().filter((key) -> key.startsWith(this.prefix)).forEach(changed::add);
		if (!changed.isEmpty()) {
			refresh(changed);
		}
	}

	/**
	 * Binds the settings again; on failure keeps the ones in force. Every guarded cluster
	 * address under the prefix is checked against the environment rules.
	 */
	public void refresh() {
		refresh(null);
	}

	/**
	 * Binds the settings again after a change of these keys; on failure keeps the ones in
	 * force. Logs the names of what changed, never the values, which may be secrets.
	 * @param changedKeys the keys that changed, or {@code null} when unknown (then every
	 * guarded key under the prefix is checked)
	 */
	private void refresh(Set<String> changedKeys) {
		T next;
		try {
			next = bind();
		}
		catch (RuntimeException ex) {
			reject(Rejection.INVALID, withoutSecrets(rootMessage(ex)));
			return;
		}
		List<String> violations;
		try {
			violations = EnvironmentGuard.addressViolations(this.environment,
					(guarded) -> guarded.startsWith(this.prefix) && (changedKeys == null
							|| changedKeys.stream().anyMatch((key) -> PropertyNames.same(key, guarded))));
		}
		catch (RuntimeException ex) {
			violations = List.of(rootMessage(ex));
		}
		if (!violations.isEmpty()) {
			reject(Rejection.ENVIRONMENT, String.join("; ", violations));
			return;
		}
		T previous = this.current;
		this.current = next;
		Object what = (changedKeys != null) ? changedKeys.stream().map(SecretKeys::maskedName).toList()
				: changedComponents(previous, next);
		logger.info("Settings under " + this.prefix + " refreshed; changed: " + what);
		if (!next.equals(previous)) {
			this.listeners.forEach((listener) -> listener.accept(next));
		}
	}

	private void reject(Rejection reason, String message) {
		this.rejections.get(reason).incrementAndGet();
		this.lastRejection = message;
		logger.warn("Rejected new settings under " + this.prefix + " (" + reason.tag()
				+ "); keeping the ones in force: " + message);
	}

	/** The names of the record components that differ, for a log line without values. */
	private static List<String> changedComponents(Object previous, Object next) {
		List<String> names = new ArrayList<>();
		if (previous == null || !previous.getClass().isRecord() || !previous.getClass().equals(next.getClass())) {
			return names;
		}
		for (RecordComponent component : previous.getClass().getRecordComponents()) {
			try {
				component.getAccessor().setAccessible(true);
				if (!Objects.equals(component.getAccessor().invoke(previous), component.getAccessor().invoke(next))) {
					names.add(component.getName());
				}
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				names.add(component.getName());
			}
		}
		return names;
	}

	private T bind() {
		BindHandler handler = new ValidationBindHandler(this.validator);
		T bound = Binder.get(this.environment).bindOrCreate(this.prefix, Bindable.of(this.type), handler);
		this.check.accept(bound);
		return bound;
	}

	/**
	 * A message with the values of the secret-like settings under the prefix masked:
	 * converters quote the input they could not read ({@code For input string: "..."}).
	 */
	private String withoutSecrets(String message) {
		if (!(this.environment instanceof ConfigurableEnvironment configurable)) {
			return message;
		}
		String masked = message;
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				if (name.startsWith(this.prefix) && SecretKeys.isSecret(name)) {
					String value = this.environment.getProperty(name);
					if (value != null && !value.isEmpty()) {
						masked = masked.replace(value, SecretKeys.MASK);
					}
				}
			}
		}
		return masked;
	}

	private static String rootMessage(Throwable failure) {
		StringBuilder message = new StringBuilder();
		Throwable cause = failure;
		while (cause != null) {
			if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
				message.append((message.length() > 0) ? ": " : "").append(cause.getMessage());
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		// Binding and validation messages quote the refused value ("rejected value
		// [..]"),
		// which may be a secret: the key they name is what an operator needs.
		return VALUE_IN_MESSAGE.matcher(message).replaceAll("value [" + SecretKeys.MASK + "]");
	}

	/**
	 * Why a refresh was rejected: the tag {@code reason} of the rejected-refresh meter.
	 */
	public enum Rejection {

		/** The new values do not bind, validate or pass the settings' own check. */
		INVALID,

		/** A new cluster address breaks the environment rules. */
		ENVIRONMENT;

		/** The meter tag value. */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
