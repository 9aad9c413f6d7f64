package io.chatrelay.client.dispatch;

import io.chatrelay.api.ChatException;
import io.chatrelay.client.quota.QuotaExceededException;
import org.apache.dubbo.rpc.RpcException;

/**
 * What a chat-platform user reads when no answer can be given: short, bilingual, without
 * internals. The operator finds the cause in the logs and metrics.
 */
public final class Apology {

	/** When the assistant is overloaded or no provider answers. */
	public static final String BUSY = "助手暂时繁忙，请稍后再试。The assistant is busy right now, please try again shortly.";

	/** When the vendor refused the content. */
	public static final String FILTERED = "抱歉，这个问题暂时无法回答。Sorry, I can't answer that.";

	/** When anything else went wrong. */
	public static final String FAILED = "抱歉，处理消息时出错了，请稍后再试。Sorry, something went wrong, please try again later.";

	private Apology() {
	}

	/**
	 * The text for a failure.
	 * @param failure why no answer came (unwrapped)
	 * @return the text to send instead of an answer
	 */
	public static String of(Throwable failure) {
		if (failure instanceof QuotaExceededException quota) {
			return quota.politeText(null);
		}
		if (failure instanceof ChatException chat) {
			return switch (chat.code()) {
				case RATE_LIMITED, UNAVAILABLE, TIMEOUT -> BUSY;
				case CONTENT_FILTERED -> FILTERED;
				case BAD_REQUEST, UNAUTHORIZED -> FAILED;
			};
		}
		return (failure instanceof RpcException) ? BUSY : FAILED;
	}

}
