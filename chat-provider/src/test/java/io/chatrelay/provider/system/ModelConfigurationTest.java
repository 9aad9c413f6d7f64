package io.chatrelay.provider.system;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.routing.RoutedReply;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.routing.VendorAccounts;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.RoutingTable;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vendor wiring as the application builds it: every vendor package in the build
 * contributes itself, credentials or not, and is known to routing and wrapped in its own
 * resilience instances, without any central list of vendors.
 */
class ModelConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Build.class, ModelConfiguration.class)
		.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults)
		.withBean(RetryRegistry.class, RetryRegistry::ofDefaults)
		.withBean(RateLimiterRegistry.class, RateLimiterRegistry::ofDefaults)
		.withBean(BulkheadRegistry.class, BulkheadRegistry::ofDefaults)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(LocalValidatorFactoryBean.class, LocalValidatorFactoryBean::new);

	@Test
	void everyVendorInTheBuildIsKnownToRoutingWithoutCredentials() {
		this.runner
			.withPropertyValues("chat.provider.routing.primary=ernie", "chat.provider.routing.fallback=chatgpt,chatglm",
					"chat.provider.routing.degrade.target=chatgpt")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<ChatModel> vendors = vendors(context);
				assertThat(vendors).extracting(ChatModel::vendor).contains("chatgpt", "chatglm", "ernie");
				assertThat(vendors).noneMatch(ChatModel::configured);
				RoutingTable routing = context.getBean(RoutingTable.class);
				assertThat(vendors).allSatisfy(
						(vendor) -> assertThat(routing.publish("primary: " + vendor.vendor())).as(vendor.vendor())
							.isTrue());
			});
	}

	@Test
	void aVendorWithItsKeyIsConfiguredAndTheOthersStayKnown() {
		this.runner.withPropertyValues("chat.provider.model.openai.api-key=sk-test-0123456789abcdef").run((context) -> {
			assertThat(vendors(context)).filteredOn(ChatModel::configured)
				.extracting(ChatModel::vendor)
				.containsExactly("chatgpt");
			assertThat(context.getBean(RoutingTable.class).publish("primary: chatglm\nfallback: [ernie]\n")).isTrue();
		});
	}

	@Test
	void wrapsEveryVendorInResilienceInstancesNamedAfterIt() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ModelRouter.class);
			String[] names = vendors(context).stream().map(ChatModel::vendor).toArray(String[]::new);
			assertThat(context.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers())
				.extracting(CircuitBreaker::getName)
				.containsExactlyInAnyOrder(names);
			assertThat(context.getBean(MeterRegistry.class).find("chat.provider.breaker.state").gauges())
				.extracting((gauge) -> gauge.getId().getTag("vendor"))
				.containsExactlyInAnyOrder(names);
			@SuppressWarnings("unchecked")
			List<RetryConfigCustomizer> retries = context.getBean("vendorRetryCustomizers", List.class);
			assertThat(retries).extracting(RetryConfigCustomizer::name)
				.containsAll(List.of(names))
				.contains(ModelConfiguration.SHARED_CONFIG)
				.hasSize(names.length + 1);
		});
	}

	@Test
	void aTenantsOwnKeyMakesAnAccountOfItsOwnWithTheRestOfThePlatformsSettings() {
		WireMockServer openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		openAi.start();
		try {
			openAi.stubFor(post(urlEqualTo("/v1/chat/completions"))
				.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
					.withBody("data: {\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"content\":\"hi\"},"
							+ "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
			this.runner
				.withPropertyValues("chat.provider.model.openai.base-url=" + openAi.baseUrl() + "/v1",
						"chat.provider.model.openai.api-key=sk-platform-key",
						"chat.provider.tenants.acme.vendors.chatgpt.api-key=${ACME_OPENAI_API_KEY}",
						"ACME_OPENAI_API_KEY=sk-acme-own-key")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					VendorAccounts accounts = context.getBean(VendorAccounts.class);
					assertThat(accounts.tenantsWithOwnAccounts()).containsExactly("acme");
					assertThat(accounts.account("acme", "chatgpt").owner()).isEqualTo("acme");
					assertThat(accounts.account("acme", "chatglm").owner()).isEqualTo(VendorAccounts.PLATFORM);
					assertThat(accounts.account("globex", "chatgpt").owner()).isEqualTo(VendorAccounts.PLATFORM);
					assertThat(context.getBean(CircuitBreakerRegistry.class).find("chatgpt@acme")).isPresent();
					assertThat(context.getBean(MeterRegistry.class)
						.find("chat.provider.breaker.state")
						.tags("vendor", "chatgpt", "account", "acme")
						.gauge()).isNotNull();

					ModelRouter router = context.getBean(ModelRouter.class);
					ModelRequest request = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null, null);
					router.call("acme", request).join();
					router.call("globex", request).join();

					openAi.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization",
							equalTo("Bearer sk-acme-own-key")));
					openAi.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization",
							equalTo("Bearer sk-platform-key")));
				});
		}
		finally {
			openAi.stop();
		}
	}

	@Test
	void aWholeAnswerFromAVendorThatHangsFallsBackAtItsFirstTokenTimeout() {
		WireMockServer vendors = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		vendors.start();
		try {
			vendors.stubFor(post(urlEqualTo("/v1/chat/completions"))
				.willReturn(aResponse().withFixedDelay(10_000).withHeader("Content-Type", "text/event-stream")));
			vendors.stubFor(post(urlEqualTo("/glm/chat/completions"))
				.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
					.withBody("data: {\"model\":\"glm-4-flash\",\"choices\":[{\"delta\":{\"content\":\"glm here\"},"
							+ "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
							+ "\"total_tokens\":5}}\n\ndata: [DONE]\n\n")));
			this.runner
				.withPropertyValues("chat.provider.model.openai.base-url=" + vendors.baseUrl() + "/v1",
						"chat.provider.model.openai.api-key=sk-platform-key",
						"chat.provider.model.openai.first-token-timeout=500ms",
						"chat.provider.model.zhipu.base-url=" + vendors.baseUrl() + "/glm",
						"chat.provider.model.zhipu.api-key=glm-platform-key", "chat.provider.routing.primary=chatgpt",
						"chat.provider.routing.fallback=chatglm")
				.run((context) -> {
					ModelRouter router = context.getBean(ModelRouter.class);
					ModelRequest request = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null, null);
					long started = System.nanoTime();

					RoutedReply reply = router.call("acme", request).join();

					Duration took = Duration.ofNanos(System.nanoTime() - started);
					assertThat(reply.vendor()).isEqualTo("chatglm");
					assertThat(reply.route()).isEqualTo(ChatRoute.FALLBACK);
					assertThat(reply.response())
						.isEqualTo(new ModelResponse("glm here", "glm-4-flash", "stop", new TokenUsage(3, 2, 5)));
					// the first-token timeout, not the 120 s total timeout nor the 10 s
					// hang
					assertThat(took).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
					vendors.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
				});
		}
		finally {
			vendors.stop();
		}
	}

	@Test
	void aTenantsSettingsAreValidatedLikeThePlatforms() {
		this.runner.withPropertyValues("chat.provider.tenants.acme.vendors.chatgpt.base-url=ftp://proxy.acme")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"chat.provider.tenants.acme.vendors.chatgpt.*: invalid settings (the tenant's over chat.provider.model.openai.*)")
					.hasStackTraceContaining("ftp://proxy.acme");
			});
	}

	@Test
	void aTenantAccountForAnUnknownVendorStopsStartup() {
		this.runner.withPropertyValues("chat.provider.tenants.acme.vendors.deepseek.api-key=sk-x").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("chat.provider.tenants.acme.vendors.deepseek: no vendor 'deepseek'");
		});
	}

	@Test
	void aRoutingDefaultNamingAnUnknownVendorStopsStartup() {
		this.runner.withPropertyValues("chat.provider.routing.primary=gpt-5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("primary: unknown vendor 'gpt-5'");
		});
	}

	private static List<ChatModel> vendors(ApplicationContext context) {
		return List.copyOf(context.getBeansOfType(ChatModel.class).values());
	}

	/**
	 * What the application's component and properties scan finds.
	 */
	@Configuration(proxyBeanMethods = false)
	@ComponentScan("io.chatrelay.provider.model")
	@ConfigurationPropertiesScan({ "io.chatrelay.provider.model", "io.chatrelay.provider.routing",
			"io.chatrelay.provider.resilience" })
	static class Build {

	}

}
