package io.chatrelay.provider.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.chatrelay.provider.FuzzCampaign;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link RoutingDocument#parse} with any text: the config center holds whatever an
 * operator published. The only outcomes allowed are a policy naming known vendors only,
 * which reads back the same when written out as a document again, or an
 * {@link InvalidRoutingException} with a message (the subscription logs it and keeps the
 * routing in force). Anything else, an error from the YAML library included, escapes and
 * fails the target.
 */
class RoutingDocumentFuzzTest {

	private static final Set<String> VENDORS = Set.of("chatgpt", "chatglm", "ernie");

	private static final RoutingPolicy DEFAULTS = new RoutingPolicy("chatgpt", List.of("chatglm", "ernie"), false,
			"chatglm");

	private final RoutingDocument document = new RoutingDocument(VENDORS, DEFAULTS);

	@FuzzCampaign
	void acceptsAValidDocumentOrRejectsItAsInvalid(byte[] input) {
		String yaml = new String(input, StandardCharsets.UTF_8);
		RoutingPolicy policy;
		try {
			policy = this.document.parse(yaml);
		}
		catch (InvalidRoutingException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(VENDORS).contains(policy.primary(), policy.degradeTarget());
		assertThat(policy.fallback()).isNotEmpty().allMatch(VENDORS::contains);
		assertThat(policy.chain()).isNotEmpty();
		assertThat(this.document.parse(written(policy))).isEqualTo(policy);
	}

	private static String written(RoutingPolicy policy) {
		return "primary: " + policy.primary() + "\nfallback: [" + String.join(", ", policy.fallback())
				+ "]\ndegrade:\n  enabled: " + policy.degradeEnabled() + "\n  target: " + policy.degradeTarget() + "\n";
	}

}
