package io.eventgateway.common.environment;

/** Where an instance runs; decides which cluster addresses it may use. */
public enum Stage {

	/** A developer's machine or CI: any address. */
	DEV,

	/** Pre-production: never a production address. */
	STAGING,

	/** Production: never a development default (loopback). */
	PROD

}
