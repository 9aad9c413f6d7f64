package io.chatrelay.provider.filter;

import java.util.Optional;

import org.apache.dubbo.common.config.configcenter.ConfigChangeType;
import org.apache.dubbo.common.config.configcenter.ConfigChangedEvent;
import org.apache.dubbo.common.config.configcenter.ConfigurationListener;
import org.apache.dubbo.common.config.configcenter.DynamicConfiguration;
import org.apache.dubbo.rpc.model.ApplicationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Keeps the {@link WordFilter} in step with the word-list document in Dubbo's config
 * center, the way {@code RoutingSubscription} does for routing: read once when the
 * application is ready, then listen (a listener gets no initial event). The same code
 * serves Nacos and ZooKeeper.
 */
public class WordListSubscription implements ApplicationListener<ApplicationReadyEvent>, ConfigurationListener {

	/** Config-center key (Nacos dataId) of the word-list document. */
	public static final String KEY = "chat-relay-words.yaml";

	/** Config-center group of the word-list document. */
	public static final String GROUP = "chat-relay";

	private static final Logger log = LoggerFactory.getLogger(WordListSubscription.class);

	private final WordFilter filter;

	private final ApplicationModel applicationModel;

	private volatile DynamicConfiguration configuration;

	/**
	 * Create the subscription.
	 * @param filter the filter to keep current
	 * @param applicationModel the Dubbo application whose config center to use
	 */
	public WordListSubscription(WordFilter filter, ApplicationModel applicationModel) {
		this.filter = filter;
		this.applicationModel = applicationModel;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Optional<DynamicConfiguration> center = this.applicationModel.modelEnvironment().getDynamicConfiguration();
		if (center.isEmpty()) {
			log.warn("No Dubbo config center: the word lists stay the local ones until restart");
			return;
		}
		this.configuration = center.get();
		this.configuration.addListener(KEY, GROUP, this);
		String document = this.configuration.getConfig(KEY, GROUP);
		if (document == null || document.isBlank()) {
			log.info("No word-list document {} (group {}) yet: the local lists apply", KEY, GROUP);
		}
		else {
			this.filter.publish(document);
		}
	}

	@Override
	public void process(ConfigChangedEvent event) {
		if (event.getChangeType() == ConfigChangeType.DELETED) {
			this.filter.reset();
		}
		else {
			this.filter.publish(event.getContent());
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
