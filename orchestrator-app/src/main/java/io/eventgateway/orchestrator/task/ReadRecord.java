package io.eventgateway.orchestrator.task;

import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.retry.ForeignRecord;

/**
 * One record a source read, in offset order with its neighbours: an event to serve, or a
 * record the gateway did not write, to dead-letter.
 */
public sealed interface ReadRecord permits ReadRecord.Decoded, ReadRecord.Foreign {

	/** Where it was read. */
	Position position();

	/** An event the gateway wrote. */
	record Decoded(BufferedTask task) implements ReadRecord {

		@Override
		public Position position() {
			return this.task.position();
		}

	}

	/** A record the gateway did not write. */
	record Foreign(ForeignRecord record) implements ReadRecord {

		@Override
		public Position position() {
			return this.record.position();
		}

	}

}
