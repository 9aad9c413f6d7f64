package io.chatrelay.client.channel.feishu;

import java.net.http.HttpClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.platform.PlatformProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Feishu channel exists only with its Encrypt Key: a Verification Token alone leaves
 * it disabled (its callback answers 404), and its settings say why for the startup log.
 * Bound by Spring from properties, as on a node.
 */
class FeishuChannelConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(FeishuChannelConfiguration.class, Settings.class)
		.withBean(HttpClient.class, HttpClient::newHttpClient)
		.withBean(ObjectMapper.class, ObjectMapper::new)
		.withPropertyValues("chat.client.channel.feishu.app-id=cli_a1", "chat.client.channel.feishu.app-secret=s");

	@Test
	void aVerificationTokenAloneLeavesTheChannelDisabledAndSaysWhy() {
		this.runner.withPropertyValues("chat.client.channel.feishu.verification-token=token").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FeishuChannel.class);
			assertThat(context.getBean(FeishuProperties.class).missing())
				.containsExactly("encrypt-key (a verification-token alone does not authenticate events)");
		});
	}

	@Test
	void withoutAnyEventCredentialTheEncryptKeyIsNamedMissing() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FeishuChannel.class);
			assertThat(context.getBean(FeishuProperties.class).missing()).containsExactly("encrypt-key");
		});
	}

	@Test
	void anEncryptKeyEnablesTheChannelWithOrWithoutAToken() {
		this.runner.withPropertyValues("chat.client.channel.feishu.encrypt-key=key").run((context) -> {
			assertThat(context).hasSingleBean(FeishuChannel.class);
			assertThat(context.getBean(FeishuProperties.class).missing()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ FeishuProperties.class, PlatformProperties.class })
	static class Settings {

	}

}
