package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send side of the responder for channels with a send API (the asking side needs a
 * provider and Redis and is covered by the channels' system tests).
 */
class SendingResponderTest {

	private static final ChannelMessage MESSAGE = new ChannelMessage("dingtalk", "m1", "dingtalk:u1", "u1", "hi",
			Map.of(), 0);

	@Test
	void sendsTheTextInPartsInOrder() {
		Sender sender = new Sender(10);

		assertThat(responder(sender).apologise(MESSAGE, "0123456789abcdefghij").join()).isEqualTo(Result.DELIVERED);

		assertThat(sender.sent).containsExactly("0:0123456789", "1:abcdefghij");
	}

	@Test
	void aPartRefusedForNowIsSentAgainOnItsOwn() {
		Sender sender = new Sender(10);
		sender.failures.add(null);
		sender.failures.add(retriable(true));

		assertThat(responder(sender).apologise(MESSAGE, "0123456789abcdefghij").join()).isEqualTo(Result.DELIVERED);

		assertThat(sender.sent).containsExactly("0:0123456789", "1:abcdefghij", "1:abcdefghij");
	}

	@Test
	void aPlatformRefusingOnEveryAttemptMeansRetryLaterOrFailed() {
		Sender busy = new Sender(100);
		busy.failures.addAll(List.of(retriable(true), retriable(true), retriable(true)));
		Sender refusing = new Sender(100);
		refusing.failures.add(retriable(false));

		assertThat(responder(busy).apologise(MESSAGE, "text").join()).isEqualTo(Result.RETRY_LATER);
		assertThat(busy.sent).hasSize(3);
		assertThat(responder(refusing).apologise(MESSAGE, "text").join()).isEqualTo(Result.FAILED);
		assertThat(refusing.sent).hasSize(1);
	}

	@Test
	void aKeptAnswerIsSentFromItsFirstMissingPartAndForgottenWithoutRecordingTheLastPart() {
		Sender sender = new Sender(10);
		Kept kept = new Kept(new PendingReplies.Pending("0123456789abcdefghijKLMNOPQRST", 1));

		assertThat(new SendingResponder(null, sender, kept, 3, Duration.ofMillis(1), Runnable::run).answer(MESSAGE)
			.join()
			.result()).isEqualTo(Result.DELIVERED);

		assertThat(sender.sent).containsExactly("1:abcdefghij", "2:KLMNOPQRST");
		assertThat(kept.calls).containsExactly("delivered 2", "forget");
	}

	@Test
	void answersForTheSendersChannel() {
		assertThat(responder(new Sender(10)).channel()).isEqualTo("dingtalk");
	}

	private static SendingResponder responder(Sender sender) {
		return new SendingResponder(null, sender, PendingReplies.NONE, 3, Duration.ofMillis(1), Runnable::run);
	}

	private static PlatformApiException retriable(boolean retriable) {
		return new PlatformApiException("DingTalk", 500, "x", retriable, "refused");
	}

	/** Keeps one answer and records what the responder does with it. */
	private static final class Kept implements PendingReplies {

		private final Pending pending;

		final List<String> calls = new ArrayList<>();

		Kept(Pending pending) {
			this.pending = pending;
		}

		@Override
		public Optional<Pending> find(ChannelMessage message) {
			return Optional.of(this.pending);
		}

		@Override
		public void save(ChannelMessage message, String text) {
			this.calls.add("save");
		}

		@Override
		public void delivered(ChannelMessage message, int parts) {
			this.calls.add("delivered " + parts);
		}

		@Override
		public void forget(ChannelMessage message) {
			this.calls.add("forget");
		}

	}

	private static final class Sender implements ReplySender {

		private final int limit;

		final List<String> sent = new ArrayList<>();

		/** One entry per send: {@code null} succeeds. */
		final List<PlatformApiException> failures = new ArrayList<>();

		Sender(int limit) {
			this.limit = limit;
		}

		@Override
		public String channel() {
			return "dingtalk";
		}

		@Override
		public int partLimitBytes() {
			return this.limit;
		}

		@Override
		public synchronized CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
			this.sent.add(index + ":" + part);
			PlatformApiException failure = this.failures.isEmpty() ? null : this.failures.remove(0);
			return (failure != null) ? CompletableFuture.failedFuture(failure)
					: CompletableFuture.completedFuture(null);
		}

	}

}
