package io.chatrelay.provider.model.zhipu;

import io.chatrelay.provider.model.compat.CompatDialect;

/**
 * Where Zhipu GLM v4's chat-completions request differs from OpenAI's: temperature in (0,
 * 1], {@code user_id} instead of {@code user} (6–128 characters), and no
 * {@code stream_options} (usage always comes in the finishing chunk). Its answers differ
 * too, and the shared adapter reads both: an extra {@code request_id}, no {@code object},
 * the role repeated in every delta, numeric-string error codes (see
 * {@link ZhipuErrorMapper}) and the finish reasons {@code sensitive} and
 * {@code network_error} ({@link ZhipuErrorMapper#fromFinishReason}).
 */
final class ZhipuDialect {

	/** Zhipu's bounds for {@code user_id}, in characters. */
	static final int USER_ID_MIN = 6;

	static final int USER_ID_MAX = 128;

	/**
	 * Zhipu's temperature range is (0, 1]: the lowest value sent is a small positive one.
	 */
	static final double MIN_TEMPERATURE = 0.01;

	static final double MAX_TEMPERATURE = 1.0;

	static final CompatDialect DIALECT = new CompatDialect(MIN_TEMPERATURE, MAX_TEMPERATURE, false,
			CompatDialect.UserField.USER_ID, ZhipuDialect::userId);

	private ZhipuDialect() {
	}

	/**
	 * Zhipu rejects a {@code user_id} outside 6–128 characters, so such a value is left
	 * out rather than failing the call (it only feeds Zhipu's abuse tracking) or being
	 * padded or cut (which would merge or split users).
	 * @param user the caller's end-user id, may be {@code null}
	 * @return the value to send, or {@code null} to omit the field
	 */
	static String userId(String user) {
		if (user == null) {
			return null;
		}
		int length = user.codePointCount(0, user.length());
		return (length >= USER_ID_MIN && length <= USER_ID_MAX) ? user : null;
	}

}
