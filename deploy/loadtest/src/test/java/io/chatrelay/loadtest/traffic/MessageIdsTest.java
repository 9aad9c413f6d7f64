package io.chatrelay.loadtest.traffic;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

	@Test
	void findsTheCurrentMessageAfterTheEarlierTurnsOfItsConversation() {
		String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"question "
				+ MessageIds.marker("k3x-10") + "\"},{\"role\":\"assistant\",\"content\":\"answer-to "
				+ MessageIds.marker("k3x-10") + "\"},{\"role\":\"user\",\"content\":\"question "
				+ MessageIds.marker("k3x-2010") + "\"}],\"stream\":false}";

		assertThat(MessageIds.lastId(body.getBytes(StandardCharsets.UTF_8))).isEqualTo("k3x-2010");
	}

	@Test
	void skipsSomethingThatOnlyLooksLikeAMarker() {
		assertThat(MessageIds.lastId("LTIDa-1. then LTID without end")).isEqualTo("a-1");
		assertThat(MessageIds.lastId("LTID. LTIDx y")).isNull();
		assertThat(MessageIds.lastId("nothing here")).isNull();
	}

}
