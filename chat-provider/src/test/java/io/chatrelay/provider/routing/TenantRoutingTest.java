package io.chatrelay.provider.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.routing.ScriptedModel.Outcome;
import io.chatrelay.provider.usage.TokenMeter;
import io.chatrelay.provider.usage.TokenUsageEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Per-tenant provider policy (issue 13 item 3): a tenant's own vendor account answers its
 * requests and nobody else's; a tenant's own route; degrading one tenant alone; usage
 * metered per tenant, vendor and model.
 */
class TenantRoutingTest {

	private static final ModelRequest REQUEST = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null,
			null);

	private static final String ROUTING = """
			primary: chatgpt
			fallback: [chatglm, ernie]
			degrade: {enabled: false, target: chatglm}
			tenants:
			  globex:
			    primary: ernie
			    fallback: [chatglm]
			  initech:
			    degrade: {enabled: true, target: ernie}
			""";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RoutingTable table = new RoutingTable(
			new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), RoutingDocumentTest.DEFAULTS),
			RoutingDocumentTest.DEFAULTS);

	private final ScriptedModel platformGpt = new ScriptedModel("chatgpt", Outcome.answer("platform gpt"));

	private final ScriptedModel acmeGpt = new ScriptedModel("chatgpt", Outcome.answer("acme's own gpt"));

	private final ScriptedModel glm = new ScriptedModel("chatglm", Outcome.answer("glm"));

	private final ScriptedModel ernie = new ScriptedModel("ernie", Outcome.answer("ernie"));

	private final ModelRouter router = new ModelRouter(this.table,
			new VendorAccounts(Map.of("chatgpt", this.platformGpt, "chatglm", this.glm, "ernie", this.ernie),
					Map.of("acme", Map.of("chatgpt", this.acmeGpt))),
			this.meters, new TokenMeter(this.meters));

	@Test
	void aTenantsOwnAccountAnswersItsRequestsAndOnlyItsRequests() {
		assertThat(this.router.call("acme", REQUEST).join().response().text()).isEqualTo("acme's own gpt");
		assertThat(this.router.call("globex", REQUEST).join().response().text()).isEqualTo("platform gpt");
		assertThat(this.router.call("initech", REQUEST).join().response().text()).isEqualTo("platform gpt");

		assertThat(this.acmeGpt.calls).hasValue(1);
		assertThat(this.platformGpt.calls).hasValue(2);
	}

	@Test
	void aTenantWithoutItsOwnAccountForAVendorUsesThePlatforms() {
		ScriptedModel failing = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE));
		ModelRouter router = new ModelRouter(this.table,
				new VendorAccounts(Map.of("chatgpt", this.platformGpt, "chatglm", this.glm, "ernie", this.ernie),
						Map.of("acme", Map.of("chatgpt", failing))),
				this.meters, new TokenMeter(this.meters));

		RoutedReply reply = router.call("acme", REQUEST).join();

		assertThat(reply.vendor()).isEqualTo("chatglm");
		assertThat(reply.route()).isEqualTo(ChatRoute.FALLBACK);
		assertThat(this.platformGpt.calls).hasValue(0);
	}

	@Test
	void aTenantsOwnRouteAndOwnDegradeApplyToItAloneAndHotly() {
		assertThat(this.table.publish(ROUTING)).isTrue();

		assertThat(this.router.call("globex", REQUEST).join().vendor()).isEqualTo("ernie");
		RoutedReply degraded = this.router.call("initech", REQUEST).join();
		assertThat(degraded.vendor()).isEqualTo("ernie");
		assertThat(degraded.route()).isEqualTo(ChatRoute.DEGRADED);
		assertThat(this.router.call("acme", REQUEST).join().vendor()).isEqualTo("chatgpt");

		// The operators' switch degrades every tenant, each to its own target.
		assertThat(this.table.publish(ROUTING.replace("enabled: false", "enabled: true"))).isTrue();
		assertThat(this.router.call("acme", REQUEST).join().vendor()).isEqualTo("chatglm");
		assertThat(this.router.call("globex", REQUEST).join().route()).isEqualTo(ChatRoute.DEGRADED);
		assertThat(this.router.call("initech", REQUEST).join().vendor()).isEqualTo("ernie");

		// Without tenants in the document, the tenants' routes are gone.
		assertThat(this.table.publish("primary: chatglm")).isTrue();
		assertThat(this.router.call("globex", REQUEST).join().vendor()).isEqualTo("chatglm");
	}

	@Test
	void streamsFollowTheTenantsRouteAndAccountToo() {
		this.table.publish(ROUTING);
		List<String> answered = new ArrayList<>();
		RoutedStreamListener listener = new RoutedStreamListener() {

			@Override
			public void onDelta(String text) {
				answered.add(text);
			}

			@Override
			public void onComplete(String vendor, ChatRoute route, String model, String finishReason,
					TokenUsage usage) {
				answered.add(vendor + "/" + route);
			}

			@Override
			public void onError(ChatException error) {
				answered.add("error " + error.code());
			}

		};

		this.router.stream("acme", REQUEST, listener);
		this.router.stream("globex", REQUEST, listener);

		assertThat(answered).containsExactly("acme's own gpt", "chatgpt/PRIMARY", "ernie", "ernie/PRIMARY");
	}

	@Test
	void usageIsMeteredPerTenantVendorAndModelAndShownToOperators() {
		this.router.call("acme", REQUEST).join();
		this.router.call("acme", REQUEST).join();
		this.router.call("globex", REQUEST).join();
		this.router.stream("globex", REQUEST, new DiscardingListener());

		assertThat(this.meters.get(TokenMeter.TOKENS)
			.tags("tenant", "acme", "vendor", "chatgpt", "model", "chatgpt-model", "kind", "prompt")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.meters.get(TokenMeter.TOKENS)
			.tags("tenant", "globex", "vendor", "chatgpt", "model", "chatgpt-model", "kind", "completion")
			.counter()
			.count()).isEqualTo(4);

		TokenUsageEndpoint.Report all = new TokenUsageEndpoint(this.meters).usage(null);
		assertThat(all.rows()).containsExactly(
				new TokenUsageEndpoint.Row("acme", "chatgpt", "chatgpt-model", 2, 2, 4, 6),
				new TokenUsageEndpoint.Row("globex", "chatgpt", "chatgpt-model", 2, 2, 4, 6));
		assertThat(all.total().totalTokens()).isEqualTo(12);
		TokenUsageEndpoint.Report acme = new TokenUsageEndpoint(this.meters).usage("acme");
		assertThat(acme.rows()).hasSize(1);
		assertThat(acme.total().requests()).isEqualTo(2);
	}

	@Test
	void failedAnswersAreNotMetered() {
		ModelRouter router = new ModelRouter(this.table,
				VendorAccounts.platformOnly(
						Map.of("chatgpt", new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.BAD_REQUEST)),
								"chatglm", this.glm, "ernie", this.ernie)),
				this.meters, new TokenMeter(this.meters));

		router.call("acme", REQUEST).exceptionally((error) -> null).join();

		assertThat(new TokenUsageEndpoint(this.meters).usage(null).rows()).isEmpty();
	}

	@Test
	void aTenantAccountForAVendorThePlatformDoesNotHaveIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new VendorAccounts(Map.of("chatgpt", this.platformGpt),
					Map.of("acme", Map.of("deepseek", this.glm))))
			.withMessageContaining("unknown vendor 'deepseek'");
	}

	private static final class DiscardingListener implements RoutedStreamListener {

		@Override
		public void onDelta(String text) {
		}

		@Override
		public void onComplete(String vendor, ChatRoute route, String model, String finishReason, TokenUsage usage) {
		}

		@Override
		public void onError(ChatException error) {
		}

	}

}
