package io.chatrelay.client.dispatch;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.chatrelay.client.conversation.Inquiry;
import io.chatrelay.client.inbox.ChannelMessage;
import org.apache.dubbo.rpc.RpcException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * How one channel answers an accepted message and shows an apology: the channels with a
 * send API ask for the whole answer and send it in parts ({@link ReplySender}); the WeCom
 * AI bot streams it into the stream WeCom polls. The {@link MessageAnswerer} picks the
 * responder by channel, and records the metrics for all of them.
 * <p>
 * A responder's futures never complete exceptionally: every failure is a {@link Result}.
 */
public interface ChannelResponder {

	/**
	 * The channel this responder answers for.
	 * @return the channel name
	 */
	String channel();

	/**
	 * Ask for an answer and show it (or an {@link Apology}) to the user.
	 * @param message the accepted message
	 * @return what became of it
	 */
	CompletableFuture<Answered> answer(ChannelMessage message);

	/**
	 * Show an apology instead of an answer.
	 * @param message the message
	 * @param text the apology
	 * @return what became of it
	 */
	CompletableFuture<Result> apologise(ChannelMessage message, String text);

	/**
	 * The message as the conversation service takes it: the request id is the channel and
	 * the platform's message id, so every attempt at one message is one request.
	 * @param message the message
	 * @return the inquiry
	 */
	static Inquiry inquiry(ChannelMessage message) {
		return new Inquiry(message.channel() + ":" + message.messageId(), message.channel(), message.conversationId(),
				message.userId(), message.text());
	}

	/**
	 * Whether a failure to get an answer says nothing about the question, so that the
	 * message should wait and be tried again: no provider reachable (a Dubbo
	 * {@code RpcException} other than a timeout, which may have reached one), the context
	 * store down, or the answer deadline passed without Dubbo noticing (a connection gone
	 * bad). Every other failure is answered with an {@link Apology}.
	 * @param cause the failure, unwrapped
	 * @return {@code true} to retry later
	 */
	static boolean answerLater(Throwable cause) {
		return (cause instanceof RpcException rpc && !rpc.isTimeout()) || cause instanceof JedisException
				|| cause instanceof TimeoutException;
	}

	/**
	 * What became of one attempt at answering.
	 *
	 * @param result for the inbox: finish, retry or count a failure
	 * @param apology whether what the user was shown is an apology rather than an answer
	 * (meaningful when {@link Result#DELIVERED})
	 */
	record Answered(Result result, boolean apology) {

		/** Nothing shown yet; try again later. */
		public static final Answered RETRY_LATER = new Answered(Result.RETRY_LATER, false);

		/** The platform refused the reply for good. */
		public static final Answered FAILED = new Answered(Result.FAILED, false);

		/**
		 * Validate.
		 * @param result the result
		 * @param apology whether an apology was shown
		 */
		public Answered {
			Objects.requireNonNull(result, "result");
		}

		/**
		 * The answer reached the user.
		 * @return the outcome
		 */
		public static Answered answered() {
			return new Answered(Result.DELIVERED, false);
		}

		/**
		 * An apology reached the user instead of an answer.
		 * @return the outcome
		 */
		public static Answered apologised() {
			return new Answered(Result.DELIVERED, true);
		}

	}

	/**
	 * What became of one attempt at answering a message.
	 */
	public enum Result {

		/** The answer (or an apology) reached the platform. */
		DELIVERED,

		/**
		 * Nothing could be shown yet (no provider reachable, the context store or the
		 * platform unavailable): try again later, the user has seen nothing final.
		 */
		RETRY_LATER,

		/** The platform refused the reply for good. */
		FAILED

	}

}
