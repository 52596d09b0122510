package io.eventgateway.ingest.classify;

import java.util.concurrent.atomic.LongAdder;

import io.eventgateway.common.event.Priority;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.quota.QuotaBuckets;

/**
 * The second classification stage: quotas and capacity. A company over its quota has its
 * event demoted one level (P30 to P20, P20 to P10); at P10 over quota the event goes to
 * the offload topic. A P10 event within quota still needs room in the P10 admission rate
 * the SLO service keeps, or it goes to offload too. Nothing is dropped here.
 *
 * <p>
 * Thread-safe.
 */
public class DynamicClassifier {

	private final QuotaBuckets quotas;

	private final SloService slo;

	private final LongAdder demotedFromP30 = new LongAdder();

	private final LongAdder demotedFromP20 = new LongAdder();

	private final LongAdder offloaded = new LongAdder();

	public DynamicClassifier(QuotaBuckets quotas, SloService slo) {
		this.quotas = quotas;
		this.slo = slo;
	}

	/** Admits one event of a company at the priority the static classifier gave it. */
	public Admission admit(String companyId, Priority classified) {
		Admission admission;
		if (this.quotas.tryTake(companyId)) {
			admission = withinCapacity(classified, null);
		}
		else if (classified == Priority.P10) {
			admission = new Admission(Priority.P10, null, true);
		}
		else {
			(classified == Priority.P30 ? this.demotedFromP30 : this.demotedFromP20).increment();
			admission = withinCapacity(classified.demoted(), classified);
		}
		if (admission.offload()) {
			this.offloaded.increment();
		}
		return admission;
	}

	/** Events demoted by quota from this priority since start. */
	public long demotedFrom(Priority priority) {
		return switch (priority) {
			case P30 -> this.demotedFromP30.sum();
			case P20 -> this.demotedFromP20.sum();
			case P10 -> 0;
		};
	}

	/** Events sent to the offload topic since start. */
	public long offloaded() {
		return this.offloaded.sum();
	}

	private Admission withinCapacity(Priority priority, Priority demotedFrom) {
		boolean offload = priority == Priority.P10 && !this.slo.tryAdmitP10();
		return new Admission(priority, demotedFrom, offload);
	}

}
