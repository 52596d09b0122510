package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;

/**
 * Replays spooled events into their intended topics on the primary cluster, deleting each
 * spooled event only after Kafka acknowledged its write. Stops at the first failure,
 * leaving it and every later event in the spool for the next run.
 */
public class SpoolReplayer {

	private static final Log logger = LogFactory.getLog(SpoolReplayer.class);

	private final EventSpool spool;

	private final ClusterProducers primary;

	private final Duration writeTimeout;

	public SpoolReplayer(EventSpool spool, ClusterProducers primary, Duration writeTimeout) {
		this.spool = spool;
		this.primary = primary;
		this.writeTimeout = writeTimeout;
	}

	/**
	 * Replays every spooled event.
	 * @return how many were replayed
	 * @throws IOException when the spool cannot be read or a write fails (what was
	 * replayed until then is gone from the spool)
	 */
	public int replayAll() throws IOException, InterruptedException {
		int replayed = 0;
		for (String key : this.spool.keys()) {
			EventSpool.SpooledEvent spooled = this.spool.read(key);
			try {
				this.primary.forLane(Lane.of(spooled.event()))
					.send(new ProducerRecord<>(spooled.intendedTopic(), spooled.event().getCompanyId(),
							spooled.event().toByteArray()))
					.get(this.writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new IOException("Replaying " + key + " to " + spooled.intendedTopic() + " failed after "
						+ replayed + " events; it stays in the spool", ex);
			}
			this.spool.delete(key);
			replayed++;
		}
		logger.info("Republished " + replayed + " spooled events");
		return replayed;
	}

}
