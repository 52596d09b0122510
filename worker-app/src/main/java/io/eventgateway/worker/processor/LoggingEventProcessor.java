package io.eventgateway.worker.processor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.proto.v1.Event;

/**
 * The default processor: logs each event at DEBUG and ACKs it. Counting is the worker's
 * job.
 */
public class LoggingEventProcessor implements EventProcessor {

	private static final Log logger = LogFactory.getLog(LoggingEventProcessor.class);

	@Override
	public void process(Event event) {
		if (logger.isDebugEnabled()) {
			logger.debug("Processed " + event.getPriorityLevel() + " event " + event.getEventId() + " of company "
					+ event.getCompanyId() + " (" + event.getEventType() + ")");
		}
	}

}
