package io.chatrelay.provider.routing;

import java.util.Optional;

import org.apache.dubbo.common.config.configcenter.ConfigChangeType;
import org.apache.dubbo.common.config.configcenter.ConfigurationListener;
import org.apache.dubbo.common.config.configcenter.DynamicConfiguration;
import org.apache.dubbo.rpc.model.ApplicationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Keeps the {@link RoutingTable} in step with the routing document in Dubbo's config
 * center (Nacos in production, ZooKeeper locally: the same abstraction, no branch on the
 * type). Reads the document once when the application is ready, then listens, because a
 * listener gets no initial event.
 */
public class RoutingSubscription implements ApplicationListener<ApplicationReadyEvent>, ConfigurationListener {

	/**
	 * Config-center key (Nacos dataId) of the routing document; fixed by DESIGN.md §4.
	 */
	public static final String KEY = "chat-relay-routing.yaml";

	/** Config-center group of the routing document; fixed by DESIGN.md §4. */
	public static final String GROUP = "chat-relay";

	private static final Logger log = LoggerFactory.getLogger(RoutingSubscription.class);

	private final RoutingTable table;

	private final ApplicationModel applicationModel;

	private volatile DynamicConfiguration configuration;

	/**
	 * Create the subscription.
	 * @param table the table to keep current
	 * @param applicationModel the Dubbo application whose config center to use
	 */
	public RoutingSubscription(RoutingTable table, ApplicationModel applicationModel) {
		this.table = table;
		this.applicationModel = applicationModel;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Optional<DynamicConfiguration> center = this.applicationModel.modelEnvironment().getDynamicConfiguration();
		if (center.isEmpty()) {
			log.warn("No Dubbo config center: routing stays {} until restart", this.table.current());
			return;
		}
		this.configuration = center.get();
		this.configuration.addListener(KEY, GROUP, this);
		String document = this.configuration.getConfig(KEY, GROUP);
		if (document == null || document.isBlank()) {
			log.info("No routing document {} (group {}) yet: routing is {}", KEY, GROUP, this.table.current());
		}
		else {
			this.table.publish(document);
		}
	}

	@Override
	public void process(org.apache.dubbo.common.config.configcenter.ConfigChangedEvent event) {
		if (event.getChangeType() == ConfigChangeType.DELETED) {
			this.table.reset();
		}
		else {
			this.table.publish(event.getContent());
		}
	}

	/**
	 * Stop listening.
	 */
	public void close() {
		DynamicConfiguration center = this.configuration;
		if (center != null) {
			center.removeListener(KEY, GROUP, this);
		}
	}

}
