package io.chatrelay.client.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per change to who may do what, on the {@code chatrelay.audit} logger (route it
 * to its own appender to keep it): the action, the tenant, the object, who did it and
 * with which kind of credential. Never a secret.
 */
final class Audit {

	private static final Logger log = LoggerFactory.getLogger("chatrelay.audit");

	private Audit() {
	}

	static void record(String action, Caller by, String object, String detail) {
		log.info("audit action={} tenant={} object={} by={} via={} {}", action, by.tenantId(), object, by.userId(),
				by.source(), detail);
	}

}
