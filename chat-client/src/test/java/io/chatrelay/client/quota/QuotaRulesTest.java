package io.chatrelay.client.quota;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QuotaRulesTest {

	@Test
	void aTenantEntryReplacesTheDefault() {
		QuotaRules rules = QuotaRules.parse("""
				default:
				  user: {requests-per-minute: 60, tokens-per-day: 200000}
				  tenant: {requests-per-minute: 3000, tokens-per-month: 50000000}
				  max-tokens-per-request: 1024
				tenants:
				  acme:
				    user: {requests-per-minute: 20}
				""");

		assertThat(rules.forTenant("other").user()).isEqualTo(new Limits(60, 200000, 0));
		assertThat(rules.forTenant("other").tenant()).isEqualTo(new Limits(3000, 0, 50000000));
		assertThat(rules.forTenant("other").maxTokensPerRequest()).isEqualTo(1024);
		assertThat(rules.forTenant("acme").user()).isEqualTo(new Limits(20, 0, 0));
		assertThat(rules.forTenant("acme").tenant()).isEqualTo(Limits.NONE);
		assertThat(rules.forTenant("acme").maxTokensPerRequest()).isEqualTo(QuotaRules.DEFAULT_MAX_TOKENS_PER_REQUEST);
	}

	@Test
	void noDocumentMeansNoLimits() {
		assertThat(QuotaRules.parse(null)).isEqualTo(QuotaRules.NONE);
		assertThat(QuotaRules.parse("  ")).isEqualTo(QuotaRules.NONE);
		assertThat(QuotaRules.NONE.forTenant("any").user().any()).isFalse();
	}

	@Test
	void everyProblemIsReportedAtOnce() {
		assertThatExceptionOfType(InvalidQuotaException.class).isThrownBy(() -> QuotaRules.parse("""
				default:
				  user: {requests-per-minut: 60, tokens-per-day: -5}
				  tenant: 7
				tenants: [a, b]
				extra: 1
				"""))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"unknown setting extra (known: default, tenants)",
					"unknown setting default.user.requests-per-minut (known: requests-per-minute, tokens-per-day, tokens-per-month)",
					"default.user.tokens-per-day must be a whole number, 0 or more (0: no limit)",
					"default.tenant must be a mapping", "tenants must be a mapping of tenant id to rules"));
	}

	@Test
	void notYamlOrNotAMappingIsRejected() {
		assertThatExceptionOfType(InvalidQuotaException.class).isThrownBy(() -> QuotaRules.parse("a: [b"));
		assertThatExceptionOfType(InvalidQuotaException.class).isThrownBy(() -> QuotaRules.parse("- 1\n- 2"));
		assertThatExceptionOfType(InvalidQuotaException.class)
			.isThrownBy(() -> QuotaRules.parse("default: {user: {requests-per-minute: 1.5}}"));
	}

	@Test
	void thePoliteTextFollowsTheLanguageOfTheMessage() {
		QuotaExceededException requests = new QuotaExceededException("user requests per minute (60)",
				java.time.Duration.ofSeconds(42), true);
		QuotaExceededException tokens = new QuotaExceededException("user tokens per day (1000)",
				java.time.Duration.ofHours(5), true);

		assertThat(requests.politeText("你好")).isEqualTo("消息有点多，请在 42 秒后再试。");
		assertThat(requests.politeText("hello"))
			.isEqualTo("You're sending messages faster than allowed; please try again in 42 seconds.");
		assertThat(tokens.politeText("hello"))
			.isEqualTo("Sorry, the usage allowance is used up; please try again in 5 hours.");
		assertThat(tokens.politeText(null)).contains("额度").contains("allowance");
	}

}
