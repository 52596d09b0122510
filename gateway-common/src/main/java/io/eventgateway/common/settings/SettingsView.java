package io.eventgateway.common.settings;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings as an operator may see them: a settings record turned into nested maps (its
 * component names as keys, the shape JSON gives a record) with every secret-like value
 * (see {@link SecretKeys}) shown as {@link SecretKeys#MASK}, whatever it is (a string, a
 * map of API keys, a nested record). For the {@code gateway} actuator endpoints, so that
 * a setting added later with a secret in it is masked without anyone remembering to.
 * Stateless and thread-safe.
 */
public final class SettingsView {

	private SettingsView() {
	}

	/**
	 * The settings with their secrets masked.
	 * @param settings a record, a map, a collection or a plain value
	 * @return maps for records and maps, lists for collections, other values as they are
	 */
	public static Object redacted(Object settings) {
		return view(settings, 0);
	}

	private static Object view(Object value, int depth) {
		if (value == null || depth > 16) {
			return value;
		}
		if (value.getClass().isRecord()) {
			Map<String, Object> view = new LinkedHashMap<>();
			for (RecordComponent component : value.getClass().getRecordComponents()) {
				Object componentValue = read(component, value);
				view.put(component.getName(), SecretKeys.isSecret(component.getName())
						? SecretKeys.shown(component.getName(), componentValue) : view(componentValue, depth + 1));
			}
			return view;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> view = new LinkedHashMap<>();
			map.forEach((key, entry) -> {
				String name = String.valueOf(key);
				view.put(name, SecretKeys.isSecret(name) ? SecretKeys.shown(name, entry) : view(entry, depth + 1));
			});
			return view;
		}
		if (value instanceof Collection<?> collection) {
			List<Object> view = new ArrayList<>(collection.size());
			collection.forEach((entry) -> view.add(view(entry, depth + 1)));
			return view;
		}
		return value;
	}

	private static Object read(RecordComponent component, Object record) {
		try {
			component.getAccessor().setAccessible(true);
			return component.getAccessor().invoke(record);
		}
		catch (IllegalAccessException | InvocationTargetException | RuntimeException ex) {
			// A settings view must never fail the endpoint showing it.
			return "<unreadable: " + ex.getClass().getSimpleName() + ">";
		}
	}

}
