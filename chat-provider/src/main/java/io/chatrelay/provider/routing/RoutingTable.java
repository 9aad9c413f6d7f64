package io.chatrelay.provider.routing;

import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing in force on this provider: an immutable {@link RoutingPolicy} swapped
 * atomically when a valid document is published. An invalid document is rejected with one
 * WARN line and the previous policy stays; a deleted document brings back the local
 * defaults.
 */
public class RoutingTable {

	private static final Logger log = LoggerFactory.getLogger(RoutingTable.class);

	private final RoutingDocument document;

	private final RoutingPolicy defaults;

	private final AtomicReference<RoutingPolicy> current;

	/**
	 * Create a table that starts with the local defaults.
	 * @param document the document reader
	 * @param defaults the policy from local configuration
	 */
	public RoutingTable(RoutingDocument document, RoutingPolicy defaults) {
		this.document = document;
		this.defaults = defaults;
		this.current = new AtomicReference<>(defaults);
	}

	/**
	 * The policy in force.
	 * @return never {@code null}
	 */
	public RoutingPolicy current() {
		return this.current.get();
	}

	/**
	 * Apply a published document.
	 * @param yaml the document
	 * @return whether it was applied
	 */
	public boolean publish(String yaml) {
		RoutingPolicy next;
		try {
			next = this.document.parse(yaml);
		}
		catch (InvalidRoutingException ex) {
			log.warn("Rejected routing document: {}; keeping {}", ex.getMessage(), current());
			return false;
		}
		swap(next, "published document");
		return true;
	}

	/**
	 * The document was removed from the config center: go back to the local defaults.
	 */
	public void reset() {
		swap(this.defaults, "document removed, local defaults");
	}

	private void swap(RoutingPolicy next, String reason) {
		RoutingPolicy previous = this.current.getAndSet(next);
		if (!previous.equals(next)) {
			log.info("Routing changed ({}): {} -> {}", reason, previous, next);
		}
	}

}
