package io.chatrelay.provider.system;

import io.chatrelay.provider.routing.RoutingSubscription;
import io.chatrelay.provider.routing.RoutingTable;
import org.apache.dubbo.rpc.model.ApplicationModel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Feeds the routing table from Dubbo's config center. Apart from
 * {@link ModelConfiguration} because it is the one wiring that needs Dubbo's application
 * model, which tests of the vendor wiring leave out.
 */
@Configuration(proxyBeanMethods = false)
class RoutingSubscriptionConfiguration {

	@Bean(destroyMethod = "close")
	RoutingSubscription routingSubscription(RoutingTable table) {
		return new RoutingSubscription(table, ApplicationModel.defaultModel());
	}

}
