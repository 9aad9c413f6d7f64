package io.chatrelay.standalone.launcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

	@Test
	void masksCredentialArgumentsButNotOrdinaryOnes() {
		assertThat(Secrets.maskArgument("--chat.provider.model.openai.api-key=sk-0123456789abcdefWXYZ"))
			.isEqualTo("--chat.provider.model.openai.api-key=****WXYZ");
		assertThat(Secrets.maskArgument("--chat.client.channel.feishu.app-secret=short"))
			.isEqualTo("--chat.client.channel.feishu.app-secret=****");
		assertThat(Secrets.maskArgument("--server.port=8080")).isEqualTo("--server.port=8080");
	}

	@Test
	void masksPasswordsInUrls() {
		assertThat(Secrets.maskArgument("--chat.client.redis.url=redis://user:pw@10.0.0.5:6379"))
			.isEqualTo("--chat.client.redis.url=redis://****@10.0.0.5:6379");
		assertThat(Secrets.maskUrl("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
	}

	@Test
	void namesTheEnvironmentVariableSpringBootBindsToAProperty() {
		assertThat(Secrets.environmentName("chat.provider.model.openai.api-key"))
			.isEqualTo("CHAT_PROVIDER_MODEL_OPENAI_APIKEY");
		assertThat(Secrets.environmentName("chat.client.channel.wecom-bot.encoding-aes-key"))
			.isEqualTo("CHAT_CLIENT_CHANNEL_WECOMBOT_ENCODINGAESKEY");
	}

}
