package io.eventgateway.common.kafka.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports refused Kafka credentials as the one line that names the setting, without the
 * stack trace.
 */
class KafkaCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<KafkaCredentialsRefusedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KafkaCredentialsRefusedException cause) {
		return new FailureAnalysis(cause.getMessage(), "Correct " + cause.setting() + " and start again.", cause);
	}

}
