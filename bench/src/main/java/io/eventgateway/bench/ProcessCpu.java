package io.eventgateway.bench;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/** CPU time this JVM has used, on every thread. */
final class ProcessCpu {

	private ProcessCpu() {
	}

	static long nanos() {
		return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

}
