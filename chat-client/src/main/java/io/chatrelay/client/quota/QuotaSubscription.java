package io.chatrelay.client.quota;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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
 * Keeps the {@link QuotaRules} in step with the quota document in Dubbo's config center
 * (Nacos in production, ZooKeeper locally; no branch on which). Read once when the
 * application is ready, then on every change; an invalid document is logged and the
 * previous rules stay; a deleted one means no limits.
 */
public class QuotaSubscription
		implements Supplier<QuotaRules>, ApplicationListener<ApplicationReadyEvent>, ConfigurationListener {

	/** Config-center key (Nacos dataId) of the quota document. */
	public static final String KEY = "chat-relay-quotas.yaml";

	/** Config-center group, shared with the routing document. */
	public static final String GROUP = "chat-relay";

	private static final Logger log = LoggerFactory.getLogger(QuotaSubscription.class);

	private final AtomicReference<QuotaRules> rules = new AtomicReference<>(QuotaRules.NONE);

	private final ApplicationModel applicationModel;

	private volatile DynamicConfiguration configuration;

	/**
	 * Create the subscription.
	 * @param applicationModel the Dubbo application whose config center to read
	 */
	public QuotaSubscription(ApplicationModel applicationModel) {
		this.applicationModel = applicationModel;
	}

	@Override
	public QuotaRules get() {
		return this.rules.get();
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Optional<DynamicConfiguration> center = this.applicationModel.modelEnvironment().getDynamicConfiguration();
		if (center.isEmpty()) {
			log.warn("No Dubbo config center: no quotas apply");
			return;
		}
		this.configuration = center.get();
		this.configuration.addListener(KEY, GROUP, this);
		apply(this.configuration.getConfig(KEY, GROUP));
	}

	@Override
	public void process(ConfigChangedEvent event) {
		apply((event.getChangeType() == ConfigChangeType.DELETED) ? null : event.getContent());
	}

	void apply(String document) {
		try {
			QuotaRules parsed = QuotaRules.parse(document);
			this.rules.set(parsed);
			log.info("Quotas {}: default user {}, tenant {}; {} tenant(s) with their own",
					(document == null || document.isBlank()) ? "off (no document " + KEY + ")" : "applied",
					parsed.defaults().user(), parsed.defaults().tenant(), parsed.tenants().size());
		}
		catch (InvalidQuotaException ex) {
			log.error("Quota document {} rejected, the previous quotas stay: {}", KEY, ex.getMessage());
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
