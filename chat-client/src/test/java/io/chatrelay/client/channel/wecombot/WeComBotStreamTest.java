package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WeComBotStreamTest {

	private static final Duration DEADLINE = Duration.ofSeconds(330);

	@Test
	void roundTripsThroughItsHashFields() {
		WeComBotStream stream = new WeComBotStream("第一段 **done**", true, 1_700_000_000_123L);

		assertThat(stream.fields()).containsExactlyInAnyOrderEntriesOf(
				Map.of("content", "第一段 **done**", "finish", "1", "started", "1700000000123"));
		assertThat(WeComBotStream.of(stream.fields())).contains(stream);
		assertThat(WeComBotStream.of(WeComBotStream.started(5).fields())).contains(new WeComBotStream("", false, 5));
	}

	@Test
	void aMissingHashIsNoStream() {
		assertThat(WeComBotStream.of(Map.of())).isEmpty();
		assertThat(WeComBotStream.of(null)).isEmpty();
		assertThat(WeComBotStream.of(Map.of("content", "x"))).isEmpty();
	}

	@Test
	void readsLenientlyWhatItDidNotWrite() {
		assertThat(WeComBotStream.of(Map.of("finish", "0", "started", "soon")))
			.contains(new WeComBotStream("", false, 0));
	}

	@Test
	void anUnknownStreamIsFinishedAndEmpty() {
		assertThat(WeComBotStream.UNKNOWN.finish()).isTrue();
		assertThat(WeComBotStream.UNKNOWN.content()).isEmpty();
	}

	@Test
	void contentIsCappedAtTheStreamLimitBetweenCharacters() {
		String emoji = "😀".repeat(5121);

		WeComBotStream stream = new WeComBotStream("a" + emoji, false, 0);

		assertThat(stream.content().getBytes(StandardCharsets.UTF_8)).hasSize(1 + 4 * 5119);
		assertThat(stream.content()).isEqualTo("a" + "😀".repeat(5119));
	}

	@Test
	void anUnfinishedStreamIsShownAsItIsBeforeTheDeadline() {
		WeComBotStream stream = new WeComBotStream("partial", false, 1_000);

		assertThat(stream.asOf(1_000 + DEADLINE.toMillis() - 1, DEADLINE)).isSameAs(stream);
	}

	@Test
	void anUnfinishedStreamEndsWithANoteAtTheDeadline() {
		WeComBotStream stream = new WeComBotStream("partial", false, 1_000);

		WeComBotStream shown = stream.asOf(1_000 + DEADLINE.toMillis(), DEADLINE);

		assertThat(shown.finish()).isTrue();
		assertThat(shown.content()).isEqualTo("partial" + WeComBotStream.DEADLINE_NOTE);
		assertThat(new WeComBotStream("", false, 0).asOf(DEADLINE.toMillis(), DEADLINE).content())
			.isEqualTo(WeComBotStream.DEADLINE_NOTE.strip());
	}

	@Test
	void theDeadlineNoteFitsEvenAfterAFullStream() {
		WeComBotStream full = new WeComBotStream("字".repeat(7000), false, 0);

		WeComBotStream shown = full.asOf(DEADLINE.toMillis(), DEADLINE);

		assertThat(shown.content()).endsWith(WeComBotStream.DEADLINE_NOTE);
		assertThat(shown.content().getBytes(StandardCharsets.UTF_8).length)
			.isLessThanOrEqualTo(WeComBotCodec.MAX_STREAM_CONTENT_BYTES);
	}

	@Test
	void aFinishedStreamIsNeverCutOff() {
		WeComBotStream done = new WeComBotStream("all of it", true, 0);

		assertThat(done.asOf(Duration.ofHours(1).toMillis(), DEADLINE)).isSameAs(done);
	}

	@Test
	void toStringLeavesTheContentOut() {
		assertThat(new WeComBotStream("secret answer", false, 0).toString()).doesNotContain("secret");
	}

}
