package io.eventgateway.ingest.quota;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.bucket4j.BandwidthBuilder.BandwidthBuilderBuildStage;
import io.github.bucket4j.BandwidthBuilder.BandwidthBuilderCapacityStage;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * One token bucket per company, sized by the default quota or the company's override.
 *
 * <p>
 * New quotas take effect lazily: a company's bucket is reconfigured the next time it is
 * used, keeping its tokens in proportion, so a change to one company's quota leaves every
 * other company's bucket (and how much of it is spent) untouched. Thread-safe.
 */
public class QuotaBuckets {

	private final TimeMeter time;

	private final Map<String, CompanyBucket> buckets = new ConcurrentHashMap<>();

	private volatile QuotaTable table;

	/**
	 * @param table the quotas in force
	 * @param time the clock buckets refill by
	 */
	public QuotaBuckets(QuotaTable table, TimeMeter time) {
		this.table = table;
		this.time = time;
	}

	/**
	 * Puts new quotas in force; buckets of companies whose quota changed adapt on use.
	 */
	public void update(QuotaTable next) {
		this.table = next;
	}

	/** Takes one token from the company's bucket; {@code false} when it is over quota. */
	public boolean tryTake(String companyId) {
		Quota quota = this.table.quotaFor(companyId);
		CompanyBucket bucket = this.buckets.computeIfAbsent(companyId, (id) -> new CompanyBucket(quota, build(quota)));
		return bucket.using(quota).tryConsume(1);
	}

	/** How many companies have a bucket. */
	public int companies() {
		return this.buckets.size();
	}

	private Bucket build(Quota quota) {
		return Bucket.builder().withCustomTimePrecision(this.time).addLimit(limit(quota)).build();
	}

	private static BucketConfiguration configuration(Quota quota) {
		return BucketConfiguration.builder().addLimit(limit(quota)).build();
	}

	private static Function<BandwidthBuilderCapacityStage, BandwidthBuilderBuildStage> limit(Quota quota) {
		return (bandwidth) -> bandwidth.capacity(quota.burst())
			.refillGreedy(quota.eventsPerSecond(), Duration.ofSeconds(1));
	}

	/** A bucket and the quota it was last configured for. */
	private static final class CompanyBucket {

		private final Bucket bucket;

		private volatile Quota quota;

		CompanyBucket(Quota quota, Bucket bucket) {
			this.quota = quota;
			this.bucket = bucket;
		}

		Bucket using(Quota wanted) {
			if (!wanted.equals(this.quota)) {
				synchronized (this) {
					if (!wanted.equals(this.quota)) {
						this.bucket.replaceConfiguration(configuration(wanted),
								TokensInheritanceStrategy.PROPORTIONALLY);
						this.quota = wanted;
					}
				}
			}
			return this.bucket;
		}

	}

}
