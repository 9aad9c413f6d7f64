package io.chatrelay.client.system;

import java.time.Duration;

import io.chatrelay.api.ChatService;
import io.chatrelay.client.conversation.ConversationService;
import org.apache.dubbo.config.annotation.DubboReference;
import org.apache.dubbo.config.spring.ReferenceBean;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The reference to the providers' {@link ChatService}. Settings are explicit because the
 * Dubbo defaults are wrong for an LLM call: the default 2 retries would bill a prompt
 * three times and the default 1 s timeout is shorter than most answers.
 *
 * <p>
 * {@code actives} is what makes the load balancer see calls in flight: Dubbo counts them
 * only in its ActiveLimitFilter, which runs only when {@code actives} is set, and without
 * the count {@code shortestresponse} keeps sending to a provider that stopped answering
 * (found by the frozen-provider drill). The limit is far above any real load, so it never
 * makes a call wait.
 *
 * <p>
 * {@code transporter} gives each provider a {@link TripleConnectionsProtocol} pool:
 * {@code dubbo.consumer.connections} Triple connections instead of Dubbo's one, so an
 * HTTP/2 connection error cancels the calls on one of them only (issue 14).
 */
@Configuration(proxyBeanMethods = false)
class DubboConfiguration {

	/** Enables in-flight counting per provider; high enough never to limit. */
	static final int ACTIVES = 100_000;

	@Bean
	@DubboReference(interfaceClass = ChatService.class, retries = 0, timeout = ConversationService.CHAT_TIMEOUT_MILLIS,
			check = false, loadbalance = "shortestresponse", actives = ACTIVES,
			parameters = { "transporter", PooledTransporter.NAME })
	ReferenceBean<ChatService> chatService() {
		return new ReferenceBean<>();
	}

	@Bean
	DrainWebBeforeDubbo drainWebBeforeDubbo(ApplicationContext context,
			@Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration timeout) {
		return new DrainWebBeforeDubbo(context, timeout);
	}

}
