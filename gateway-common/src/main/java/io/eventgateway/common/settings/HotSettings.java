package io.eventgateway.common.settings;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

import jakarta.validation.Validator;

/**
 * A group of settings that may change while the application runs: bound once at startup
 * (where a bad value fails the start), then bound again whenever the environment changes
 * under its prefix ({@code /actuator/refresh}, {@code /actuator/busrefresh}). A new value
 * that does not bind or validate is rejected: the last good value stays in force, the
 * rejection is logged at WARN and counted.
 *
 * <p>
 * Components read {@link #current()} each time they need a value, so a change takes
 * effect on their next use. Thread-safe.
 *
 * @param <T> the settings type, usually a validated record
 */
public final class HotSettings<T> implements ApplicationListener<EnvironmentChangeEvent> {

	private static final Log logger = LogFactory.getLog(HotSettings.class);

	private final String prefix;

	private final Class<T> type;

	private final Environment environment;

	private final SpringValidatorAdapter validator;

	private final AtomicLong rejections = new AtomicLong();

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

	/** Refreshes that were rejected since start. */
	public long rejectionCount() {
		return this.rejections.get();
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
		if (event.getKeys().stream().anyMatch((key) -> key.startsWith(this.prefix))) {
			refresh();
		}
	}

	/** Binds the settings again; on failure keeps the ones in force. */
	public void refresh() {
		try {
			T next = bind();
			T previous = this.current;
			this.current = next;
			logger.info("Settings under " + this.prefix + " are now " + next);
			if (!next.equals(previous)) {
				this.listeners.forEach((listener) -> listener.accept(next));
			}
		}
		catch (RuntimeException ex) {
			this.rejections.incrementAndGet();
			this.lastRejection = rootMessage(ex);
			logger.warn("Rejected new settings under " + this.prefix + "; keeping " + this.current + ": "
					+ this.lastRejection);
		}
	}

	private T bind() {
		BindHandler handler = new ValidationBindHandler(this.validator);
		T bound = Binder.get(this.environment).bindOrCreate(this.prefix, Bindable.of(this.type), handler);
		this.check.accept(bound);
		return bound;
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
		return message.toString();
	}

}
