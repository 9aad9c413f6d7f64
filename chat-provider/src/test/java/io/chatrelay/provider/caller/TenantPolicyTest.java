package io.chatrelay.provider.caller;

import java.util.List;
import java.util.Map;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatOptions;
import io.chatrelay.api.ChatRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantPolicyTest {

	private final TenantPolicy policy = new TenantPolicy(
			new TenantProperties(Map.of("acme", new TenantLimits(List.of("default", "gpt-4o"), 1000, null, 50)), null));

	@Test
	void aListedTenantMayUseItsModels() {
		assertThatCode(() -> this.policy.check(request("acme", "gpt-4o", 1000, "hi"))).doesNotThrowAnyException();
	}

	@Test
	void aModelNotListedForTheTenantIsRefused() {
		assertThatThrownBy(() -> this.policy.check(request("acme", "o1-pro", null, "hi")))
			.isInstanceOfSatisfying(ChatException.class,
					(ex) -> assertThat(ex.code()).isEqualTo(ChatErrorCode.BAD_REQUEST))
			.hasMessageContaining("model 'o1-pro' is not allowed for tenant acme");
	}

	@Test
	void aTenantNotListedGetsTheDefaultsWhichAllowOnlyTheDefaultModel() {
		assertThatCode(() -> this.policy.check(request("nobody", "default", null, "hi"))).doesNotThrowAnyException();
		assertThatThrownBy(() -> this.policy.check(request("nobody", "gpt-4o", null, "hi")))
			.hasMessageContaining("not allowed");
	}

	@Test
	void maxTokensAboveTheCapIsRefused() {
		assertThatThrownBy(() -> this.policy.check(request("acme", "default", 1001, "hi")))
			.hasMessageContaining("maxTokens 1001 exceeds the tenant's limit of 1000");
	}

	@Test
	void tooMuchTextIsRefusedAndComponentsLeftOutComeFromTheDefaults() {
		assertThatThrownBy(() -> this.policy.check(request("acme", "default", null, "x".repeat(51))))
			.hasMessageContaining("51 characters exceed the tenant's limit of 50");
		assertThat(this.policy.limitsOf("acme").maxMessages()).isEqualTo(TenantLimits.BUILT_IN.maxMessages());
	}

	@Test
	void tooManyMessagesAreRefused() {
		TenantPolicy strict = new TenantPolicy(new TenantProperties(Map.of(), new TenantLimits(null, null, 2, null)));
		ChatRequest three = new ChatRequest("r", "t", "c",
				List.of(ChatMessage.system("s"), ChatMessage.user("a"), ChatMessage.user("b")), ChatOptions.DEFAULTS,
				Map.of());
		assertThatThrownBy(() -> strict.check(three)).hasMessageContaining("3 messages exceed the tenant's limit of 2");
	}

	private static ChatRequest request(String tenant, String model, Integer maxTokens, String text) {
		return new ChatRequest("r", tenant, "c", List.of(ChatMessage.user(text)),
				new ChatOptions(model, null, maxTokens), Map.of());
	}

}
