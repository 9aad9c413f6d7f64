package io.chatrelay.provider.routing;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local routing defaults ({@code chat.provider.routing.*}): used until a routing
 * document is published in the config center, for keys the document leaves out, and again
 * when the document is deleted.
 *
 * @param primary the vendor tried first
 * @param fallback the vendors tried next, in order
 * @param degrade the degrade switch
 */
@Validated
@ConfigurationProperties("chat.provider.routing")
public record RoutingProperties(@NotBlank @DefaultValue("chatgpt") String primary, @NotNull @DefaultValue( {
		"chatglm", "ernie" }) List<String> fallback, @Valid @NotNull @DefaultValue Degrade degrade){

	/**
	 * The degrade switch.
	 *
	 * @param enabled whether every request goes to the target
	 * @param target the vendor that answers while degraded
	 */
	public record Degrade(@DefaultValue("false") boolean enabled, @NotBlank @DefaultValue("chatglm") String target) {
	}

	/**
	 * As a policy.
	 * @return the policy
	 */
	public RoutingPolicy toPolicy() {
		return new RoutingPolicy(this.primary, this.fallback, this.degrade.enabled(), this.degrade.target());
	}

}
