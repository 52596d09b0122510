package io.eventgateway.common.lifecycle;

/** A loop that runs on its own thread until asked to stop. */
public interface StoppableLoop extends Runnable {

	/** Asks the loop to end soon; may be called from any thread and does not wait. */
	void stop();

}
