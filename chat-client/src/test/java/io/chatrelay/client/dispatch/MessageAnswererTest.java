package io.chatrelay.client.dispatch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.client.dispatch.ChannelResponder.Answered;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MessageAnswererTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void answersThroughTheResponderOfTheMessagesChannelAndCountsIt() {
		Fake bot = new Fake("wecom-bot", Answered.answered(), Result.DELIVERED);
		Fake other = new Fake("dingtalk", Answered.FAILED, Result.FAILED);
		MessageAnswerer answerer = new MessageAnswerer(List.of(bot, other), this.meters);

		assertThat(answerer.answer(message("wecom-bot")).join()).isEqualTo(Result.DELIVERED);

		assertThat(bot.answered).isEqualTo(1);
		assertThat(other.answered).isZero();
		assertThat(replies("wecom-bot", "answered")).isEqualTo(1);
		assertThat(this.meters.get("chat.client.reply").tag("channel", "wecom-bot").timer().count()).isEqualTo(1);
	}

	@Test
	void countsEachResultUnderItsOutcome() {
		MessageAnswerer apologised = answerer(Answered.apologised());
		MessageAnswerer later = answerer(Answered.RETRY_LATER);
		MessageAnswerer refused = answerer(Answered.FAILED);

		assertThat(apologised.answer(message("wecom-bot")).join()).isEqualTo(Result.DELIVERED);
		assertThat(later.answer(message("wecom-bot")).join()).isEqualTo(Result.RETRY_LATER);
		assertThat(refused.answer(message("wecom-bot")).join()).isEqualTo(Result.FAILED);

		assertThat(replies("wecom-bot", "apologised")).isEqualTo(1);
		assertThat(replies("wecom-bot", "retry")).isEqualTo(1);
		assertThat(replies("wecom-bot", "send_failed")).isEqualTo(1);
		assertThat(this.meters.get("chat.client.reply").timer().count()).as("only what reached the user is timed")
			.isEqualTo(1);
	}

	@Test
	void apologiesAreCountedUnderTheCallersOutcome() {
		Fake bot = new Fake("wecom-bot", Answered.answered(), Result.DELIVERED);
		MessageAnswerer answerer = new MessageAnswerer(List.of(bot), this.meters);

		assertThat(answerer.apologise(message("wecom-bot"), Apology.BUSY).join()).isEqualTo(Result.DELIVERED);
		assertThat(answerer.apologise(message("wecom-bot"), Apology.FAILED, "dead_letter").join())
			.isEqualTo(Result.DELIVERED);

		assertThat(bot.apologies).containsExactly(Apology.BUSY, Apology.FAILED);
		assertThat(replies("wecom-bot", "busy")).isEqualTo(1);
		assertThat(replies("wecom-bot", "dead_letter")).isEqualTo(1);
	}

	@Test
	void aResponderThatThrowsIsAFailureNotAnException() {
		ChannelResponder broken = new Fake("wecom-bot", null, null) {

			@Override
			public CompletableFuture<Answered> answer(ChannelMessage message) {
				throw new IllegalStateException("boom");
			}

			@Override
			public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
				return CompletableFuture.failedFuture(new IllegalStateException("boom"));
			}

		};
		MessageAnswerer answerer = new MessageAnswerer(List.of(broken), this.meters);

		assertThat(answerer.answer(message("wecom-bot")).join()).isEqualTo(Result.FAILED);
		assertThat(answerer.apologise(message("wecom-bot"), Apology.BUSY).join()).isEqualTo(Result.FAILED);
		assertThat(replies("wecom-bot", "send_failed")).isEqualTo(2);
	}

	@Test
	void aChannelWithoutResponderFails() {
		MessageAnswerer answerer = new MessageAnswerer(List.of(), this.meters);

		assertThat(answerer.answer(message("feishu")).join()).isEqualTo(Result.FAILED);
		assertThat(answerer.apologise(message("feishu"), Apology.BUSY).join()).isEqualTo(Result.FAILED);
	}

	@Test
	void twoRespondersForOneChannelAreAMistake() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MessageAnswerer(
					List.of(new Fake("wecom-bot", null, null), new Fake("wecom-bot", null, null)), this.meters))
			.withMessageContaining("wecom-bot");
	}

	@Test
	void onlyFailuresThatSayNothingAboutTheQuestionAreRetried() {
		assertThat(ChannelResponder.answerLater(new RpcException(RpcException.NETWORK_EXCEPTION, "no provider")))
			.isTrue();
		assertThat(ChannelResponder.answerLater(new JedisConnectionException("down"))).isTrue();
		assertThat(ChannelResponder.answerLater(new java.util.concurrent.TimeoutException())).isTrue();
		assertThat(ChannelResponder.answerLater(new RpcException(RpcException.TIMEOUT_EXCEPTION, "timeout")))
			.as("a Dubbo timeout may have reached a vendor")
			.isFalse();
		assertThat(ChannelResponder
			.answerLater(new io.chatrelay.api.ChatException(io.chatrelay.api.ChatErrorCode.UNAVAILABLE, "vendor down")))
			.isFalse();
		assertThat(ChannelResponder.answerLater(new IllegalStateException())).isFalse();
	}

	private MessageAnswerer answerer(Answered answered) {
		return new MessageAnswerer(List.of(new Fake("wecom-bot", answered, Result.DELIVERED)), this.meters);
	}

	private double replies(String channel, String outcome) {
		var counter = this.meters.find("chat.client.replies").tag("channel", channel).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static ChannelMessage message(String channel) {
		return new ChannelMessage(channel, "m1", channel + ":u1", "u1", "hello", Map.of(),
				System.currentTimeMillis() - 1000);
	}

	private static class Fake implements ChannelResponder {

		private final String channel;

		private final Answered answer;

		private final Result apology;

		int answered;

		final List<String> apologies = new java.util.ArrayList<>();

		Fake(String channel, Answered answer, Result apology) {
			this.channel = channel;
			this.answer = answer;
			this.apology = apology;
		}

		@Override
		public String channel() {
			return this.channel;
		}

		@Override
		public CompletableFuture<Answered> answer(ChannelMessage message) {
			this.answered++;
			return CompletableFuture.completedFuture(this.answer);
		}

		@Override
		public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
			this.apologies.add(text);
			return CompletableFuture.completedFuture(this.apology);
		}

	}

}
