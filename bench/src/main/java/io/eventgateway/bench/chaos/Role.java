package io.eventgateway.bench.chaos;

import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.publisher.PublisherApplication;
import io.eventgateway.worker.WorkerApplication;

/** A gateway role that a chaos run starts as its own process. */
enum Role {

	PUBLISHER(PublisherApplication.class, PublisherApplication.ROLE),

	ORCHESTRATOR(OrchestratorApplication.class, OrchestratorApplication.ROLE),

	WORKER(WorkerApplication.class, WorkerApplication.ROLE),

	INGEST(IngestApplication.class, IngestApplication.ROLE);

	private final Class<?> application;

	private final String springName;

	Role(Class<?> application, String springName) {
		this.application = application;
		this.springName = springName;
	}

	Class<?> application() {
		return this.application;
	}

	String springName() {
		return this.springName;
	}

}
