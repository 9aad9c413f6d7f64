package io.chatrelay.provider.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatrelay.api.ChatRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingDocumentTest {

	static final RoutingPolicy DEFAULTS = new RoutingPolicy("chatgpt", List.of("chatglm", "ernie"), false, "chatglm");

	private final RoutingDocument document = new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), DEFAULTS);

	@Test
	void readsTheSeedDocument() {
		RoutingPolicy policy = this.document.parse("""
				primary: chatgpt              # chatgpt | chatglm | ernie
				fallback: [chatglm, ernie]    # tried in order when the primary fails or its breaker is open
				degrade:
				  enabled: false              # the operators' manual switch
				  target: chatglm             # used for every request while enabled
				""");

		assertThat(policy).isEqualTo(DEFAULTS);
		assertThat(policy.chain()).containsExactly(new RoutingPolicy.Step("chatgpt", ChatRoute.PRIMARY),
				new RoutingPolicy.Step("chatglm", ChatRoute.FALLBACK),
				new RoutingPolicy.Step("ernie", ChatRoute.FALLBACK));
	}

	@Test
	void degradeSendsEverythingToTheTarget() {
		RoutingPolicy policy = this.document.parse("degrade:\n  enabled: true\n  target: ernie\n");

		assertThat(policy.chain()).containsExactly(new RoutingPolicy.Step("ernie", ChatRoute.DEGRADED));
		assertThat(policy.mode()).isEqualTo("degraded");
	}

	@Test
	void keysLeftOutTakeTheLocalDefaults() {
		RoutingPolicy policy = this.document.parse("primary: ernie\n");

		assertThat(policy).isEqualTo(new RoutingPolicy("ernie", List.of("chatglm", "ernie"), false, "chatglm"));
		assertThat(policy.chain()).extracting(RoutingPolicy.Step::vendor).containsExactly("ernie", "chatglm");
	}

	@Test
	void readsTenantsOwnRoutesWithTheRestFromTheTopLevel() {
		RoutingPolicy policy = this.document.parse("""
				primary: chatgpt
				fallback: [chatglm]
				tenants:
				  globex: {primary: ernie}
				  initech:
				    degrade: {enabled: true, target: ernie}
				""");

		assertThat(policy.forTenant("globex").chain()).extracting(RoutingPolicy.Step::vendor)
			.containsExactly("ernie", "chatglm");
		assertThat(policy.forTenant("initech").chain())
			.containsExactly(new RoutingPolicy.Step("ernie", ChatRoute.DEGRADED));
		assertThat(policy.forTenant("acme")).isSameAs(policy);
		assertThat(policy.forTenant(null)).isSameAs(policy);
		assertThat(policy.toString()).contains("own routes for [globex, initech]");
	}

	@Test
	void tenantsLeftOutTakeTheLocalDefaultsTenants() {
		RoutingPolicy defaults = new RoutingPolicy("chatgpt", List.of("chatglm"), false, "chatglm",
				Map.of("globex", new RoutingPolicy.TenantRoute("ernie", null, null, null)));
		RoutingDocument withTenants = new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), defaults);

		assertThat(withTenants.parse("primary: chatglm").forTenant("globex").primary()).isEqualTo("ernie");
		assertThat(withTenants.parse("tenants: {}").tenants()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "bad YAML|primary: [chatgpt|not valid YAML",
			"unknown vendor|primary: claude|unknown vendor 'claude'",
			"unknown fallback vendor|fallback: [chatglm, llama]|unknown vendor 'llama'",
			"empty chain|fallback: []|at least one vendor", "empty primary|primary: ''|primary must name a vendor",
			"unknown key|primry: chatgpt|unknown key 'primry'",
			"unknown degrade key|degrade: {enable: true}|unknown key 'degrade.enable'",
			"enabled not a boolean|degrade: {enabled: maybe}|true or false",
			"not a mapping|just a string|must be a mapping", "empty document|'   '|empty",
			"tenant's unknown vendor|tenants: {acme: {primary: claude}}|tenants.acme.primary: unknown vendor 'claude'",
			"tenant's unknown key|tenants: {acme: {primry: ernie}}|unknown key 'tenants.acme.primry'",
			"tenant's empty chain|tenants: {acme: {fallback: []}}|tenants.acme.fallback must name at least one",
			"tenant's degrade flag|tenants: {acme: {degrade: {enabled: yes please}}}|tenants.acme.degrade.enabled must be",
			"tenants not a mapping|tenants: [acme]|tenants must be a mapping" })
	void rejectsInvalidDocuments(String name, String yaml, String reason) {
		assertThatThrownBy(() -> this.document.parse(yaml.equals("'   '") ? "   " : yaml))
			.isInstanceOf(InvalidRoutingException.class)
			.hasMessageContaining(reason);
	}

	@Test
	void rejectsLocalDefaultsNamingAnUnknownVendorEvenInTheIdleDegradeTarget() {
		RoutingPolicy typo = new RoutingPolicy("chatgpt", List.of("chatglm"), false, "chatgml");

		assertThatThrownBy(() -> new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), typo))
			.isInstanceOf(InvalidRoutingException.class)
			.hasMessageContaining("degrade.target: unknown vendor 'chatgml'");
	}

}
