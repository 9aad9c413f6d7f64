package io.chatrelay.client.quota;

import java.time.Duration;

/**
 * A call refused because a limit is reached; no vendor was called and nothing was
 * counted.
 */
public class QuotaExceededException extends RuntimeException {

	private final String limit;

	private final Duration retryAfter;

	private final boolean firstNotice;

	QuotaExceededException(String limit, Duration retryAfter, boolean firstNotice) {
		super("Limit reached: " + limit + "; retry after " + retryAfter.toSeconds() + " s");
		this.limit = limit;
		this.retryAfter = retryAfter;
		this.firstNotice = firstNotice;
	}

	/**
	 * Which limit was reached.
	 * @return e.g. {@code user requests per minute}
	 */
	public String limit() {
		return this.limit;
	}

	/**
	 * When the limit's window ends.
	 * @return the wait, at least one second
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * Whether this is the first refusal of this user by this limit in its window: an IM
	 * user is told once per window, then their messages are dropped quietly.
	 * @return {@code true} the first time
	 */
	public boolean firstNotice() {
		return this.firstNotice;
	}

	/**
	 * A polite sentence for a person, in the language they wrote in.
	 * @param message what they wrote, or {@code null} when unknown
	 * @return Chinese if it contains CJK characters, English if not, both when unknown
	 */
	public String politeText(String message) {
		String wait = wait(this.retryAfter);
		boolean tokens = this.limit.contains("tokens");
		if (message == null) {
			return politeText("中") + politeText("");
		}
		if (message.codePoints().anyMatch(QuotaExceededException::isCjk)) {
			return tokens ? "抱歉，本期的使用额度已用完，请在" + waitZh(this.retryAfter) + "后再试。"
					: "消息有点多，请在" + waitZh(this.retryAfter) + "后再试。";
		}
		return tokens ? "Sorry, the usage allowance is used up; please try again in " + wait + "."
				: "You're sending messages faster than allowed; please try again in " + wait + ".";
	}

	private static boolean isCjk(int codePoint) {
		Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
		return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
				|| script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
	}

	private static String wait(Duration wait) {
		long seconds = Math.max(1, wait.toSeconds());
		if (seconds < 120) {
			return seconds + " seconds";
		}
		long minutes = (seconds + 59) / 60;
		return (minutes < 120) ? minutes + " minutes" : ((minutes + 59) / 60) + " hours";
	}

	private static String waitZh(Duration wait) {
		long seconds = Math.max(1, wait.toSeconds());
		if (seconds < 120) {
			return " " + seconds + " 秒";
		}
		long minutes = (seconds + 59) / 60;
		return (minutes < 120) ? " " + minutes + " 分钟" : " " + ((minutes + 59) / 60) + " 小时";
	}

}
