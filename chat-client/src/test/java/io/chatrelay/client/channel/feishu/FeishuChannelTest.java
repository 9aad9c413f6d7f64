package io.chatrelay.client.channel.feishu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeishuChannelTest {

	@Test
	void idempotencyKeysAreStablePerPartAndFitFeishusLimit() {
		String eventId = "5e3702a84e847582be8db7fb73283c02";

		assertThat(FeishuChannel.idempotencyKey(eventId, 0)).isEqualTo(eventId + "-0");
		assertThat(FeishuChannel.idempotencyKey(eventId, 12)).isEqualTo(eventId + "-12");
		assertThat(FeishuChannel.idempotencyKey("x".repeat(80), 3)).hasSize(FeishuApi.IDEMPOTENCY_KEY_MAX_LENGTH)
			.endsWith("-3");
		assertThat(FeishuChannel.idempotencyKey("x".repeat(80), 3))
			.isNotEqualTo(FeishuChannel.idempotencyKey("x".repeat(80), 4));
	}

}
