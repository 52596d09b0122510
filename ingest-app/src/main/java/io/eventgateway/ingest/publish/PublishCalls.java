package io.eventgateway.ingest.publish;

/**
 * Hears how {@link PublisherClient}'s calls end, for meters. Called on gRPC client
 * threads; implementations must be thread-safe and quick.
 */
public interface PublishCalls {

	/** Hears nothing. */
	PublishCalls NONE = new PublishCalls() {

		@Override
		public void answered(PublishLane lane) {
		}

		@Override
		public void failed(PublishLane lane, String code) {
		}

	};

	/** A call carrying events of {@code lane} was answered. */
	void answered(PublishLane lane);

	/**
	 * A call carrying events of {@code lane} failed, and its events were rejected.
	 * @param code the gRPC status code, or {@code MISMATCH} when the publisher answered
	 * with a wrong number of results
	 */
	void failed(PublishLane lane, String code);

}
