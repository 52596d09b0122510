package io.eventgateway.bench.series;

import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/**
 * What a scenario counts, read once a second by a {@link SeriesSampler}. Counts are
 * cumulative from any origin (the sampler takes differences); none may go back.
 */
public interface SeriesSource {

	/** Events offered so far. */
	long offered();

	/** Events accepted so far. */
	long accepted();

	/** Accepted events processed so far. */
	long processed();

	/**
	 * P30 latencies (microseconds) recorded since the last call, taken away so that the
	 * next call starts afresh; {@code null} when the scenario measures none.
	 */
	Histogram takeP30Latencies();

	/**
	 * Anything else a scenario measures each second (heap, buffered bytes, pauses, ...),
	 * by name; written into each second of the JSON series as it is.
	 */
	default Map<String, Double> extras() {
		return Map.of();
	}

	/** A source of the given counters, with no extras. */
	static SeriesSource of(LongSupplier offered, LongSupplier accepted, LongSupplier processed,
			Supplier<Histogram> p30Latencies) {
		return of(offered, accepted, processed, p30Latencies, Map::of);
	}

	/** A source of the given counters and extras. */
	static SeriesSource of(LongSupplier offered, LongSupplier accepted, LongSupplier processed,
			Supplier<Histogram> p30Latencies, Supplier<Map<String, Double>> extras) {
		return new SeriesSource() {

			@Override
			public long offered() {
				return offered.getAsLong();
			}

			@Override
			public long accepted() {
				return accepted.getAsLong();
			}

			@Override
			public long processed() {
				return processed.getAsLong();
			}

			@Override
			public Histogram takeP30Latencies() {
				return p30Latencies.get();
			}

			@Override
			public Map<String, Double> extras() {
				return extras.get();
			}

		};
	}

}
