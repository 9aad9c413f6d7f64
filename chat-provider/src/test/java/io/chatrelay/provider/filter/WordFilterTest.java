package io.chatrelay.provider.filter;

import java.util.List;
import java.util.Set;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WordFilterTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WordFilter filter = new WordFilter(true,
			List.of(new WordList("local", Set.of("*"), FilterAction.MASK, null, List.of("heck"))), this.meters);

	@Test
	void blocksInputWithAListedWordFullWidthOrSpacedWithTheListsMessage() {
		this.filter.publish(WordListDocumentTest.DOCUMENT);

		for (String text : List.of("tell me the secret", "the ＳＥＣＲＥＴ?", "s e c-r.e\u200Bt", "敏 感 词")) {
			assertThatExceptionOfType(ChatException.class)
				.isThrownBy(() -> this.filter.screenInput("acme", List.of(ChatMessage.user(text))))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED))
				.withMessage("I can't help with that.");
		}
		assertThat(hits("acme", "banned", "input", "block")).isEqualTo(4);
	}

	@Test
	void masksInputOfTheTenantsTheListNamesAndLeavesAssistantTurnsAlone() {
		this.filter.publish(WordListDocumentTest.DOCUMENT);
		List<ChatMessage> messages = List.of(ChatMessage.system("be nice"), ChatMessage.assistant("darn it"),
				ChatMessage.user("oh D A R N"));

		List<ChatMessage> acme = this.filter.screenInput("acme", messages);
		List<ChatMessage> other = this.filter.screenInput("other", messages);

		assertThat(acme).extracting(ChatMessage::content).containsExactly("be nice", "darn it", "oh *******");
		assertThat(other).isEqualTo(messages);
		assertThat(hits("acme", "rude", "input", "mask")).isEqualTo(1);
	}

	@Test
	void screensAWholeReplyAndAStream() {
		this.filter.publish(WordListDocumentTest.DOCUMENT);

		assertThat(this.filter.screenReply("beta", "Darn!")).isEqualTo("****!");
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> this.filter.screenReply("beta", "a secret"));
		StreamScreen stream = this.filter.openStream("beta");
		assertThat(stream.accept("well d")).isEqualTo("well ");
		assertThat(stream.accept("ar")).isEmpty();
		assertThat(stream.accept("n, the sec")).isEqualTo("****, the ");
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> stream.accept("ret"))
			.withMessage("I can't help with that.");
		assertThat(hits("beta", "banned", "output", "block")).isEqualTo(2);
	}

	@Test
	void keepsTheListsInForceWhenADocumentIsInvalidAndGoesBackToTheLocalOnesWhenItIsDeleted() {
		assertThat(this.filter.screenReply("t", "what the heck")).isEqualTo("what the ****");
		this.filter.publish(WordListDocumentTest.DOCUMENT);

		assertThat(this.filter.publish("lists: [{name: x, action: block, words: [a]}]")).isFalse();
		assertThat(this.filter.screenReply("t", "heck darn")).isEqualTo("heck darn");
		assertThat(this.filter.screenReply("acme", "heck darn")).isEqualTo("heck ****");

		this.filter.reset();
		assertThat(this.filter.screenReply("acme", "heck darn")).isEqualTo("**** darn");
	}

	@Test
	void switchedOffPassesEverythingThrough() {
		WordFilter off = new WordFilter(false,
				List.of(new WordList("local", Set.of("*"), FilterAction.BLOCK, "no", List.of("heck"))), this.meters);

		assertThat(off.screenReply("t", "heck")).isEqualTo("heck");
		assertThat(off.openStream("t").accept("heck")).isEqualTo("heck");
	}

	private double hits(String tenant, String list, String direction, String action) {
		return this.meters.get(WordFilter.HITS)
			.tags("tenant", tenant, "list", list, "direction", direction, "action", action)
			.counter()
			.count();
	}

}
