package io.chatrelay.client.channel.feishu;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.client.platform.AccessTokenCache;
import io.chatrelay.client.platform.AccessTokenCache.AccessToken;
import io.chatrelay.client.platform.PlatformApiException;
import io.chatrelay.client.platform.PlatformExchange;
import io.chatrelay.client.platform.PlatformExchange.Answer;

/**
 * Replies of a Feishu (Lark) internal app's bot (protocols C.5):
 * {@code POST /open-apis/im/v1/messages/:message_id/reply} with
 * {@code Authorization: Bearer <tenant_access_token>}, the token from
 * {@code POST /open-apis/auth/v3/tenant_access_token/internal} cached by an
 * {@link AccessTokenCache}.
 *
 * <p>
 * Every answer carries {@code code} (0 for success), also with HTTP 4xx. Codes 99991663
 * (tenant_access_token invalid) and 99991671 (access token invalid), the token codes in
 * Feishu's Java SDK ({@code com.lark.oapi.core.response.Body}), drop the cached token and
 * resend once. 99991668 is the <em>user</em> access token code and 99991661 a missing
 * token: neither can come from these calls with a tenant token, so they are plain
 * failures. 99991400 (request frequency limit) and 230020 (IM frequency limit, 5 QPS per
 * user or group) are retriable ([UNVERIFIED]: Feishu's docs and third-party code), as are
 * HTTP 429 and 5xx.
 *
 * <p>
 * A token is refreshed 25 minutes before it expires: Feishu hands out a new token only
 * when less than 30 minutes remain (the old one stays valid until its end), so a refresh
 * at exactly 30 minutes could get the old token back.
 */
final class FeishuApi {

	/** The platform's name in exceptions and logs. */
	public static final String PLATFORM = "Feishu";

	/**
	 * The largest request body of a text message: 150 KB ([UNVERIFIED] in the protocols).
	 */
	public static final int BODY_LIMIT_BYTES = 150 * 1024;

	/**
	 * The UTF-8 bytes of text one reply should carry. {@code content} is JSON inside a
	 * JSON string, so escaping grows the text up to four times (a quote or backslash
	 * becomes four bytes); at 30 KiB even such a text stays under
	 * {@link #BODY_LIMIT_BYTES}. {@link #replyText} checks the body itself.
	 */
	public static final int TEXT_LIMIT_BYTES = 30 * 1024;

	/** The longest {@code uuid} idempotency key Feishu accepts. */
	public static final int IDEMPOTENCY_KEY_MAX_LENGTH = 50;

	static final Duration REFRESH_BEFORE = Duration.ofMinutes(25);

	static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(7200);

	private static final Set<String> TOKEN_REJECTED = Set.of("99991663", "99991671");

	private static final Set<String> RETRIABLE_CODES = Set.of("99991400", "230020");

	private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_\\-]+");

	private final HttpClient http;

	private final String baseUrl;

	private final String appId;

	private final String appSecret;

	private final Duration timeout;

	private final Clock clock;

	private final AccessTokenCache tokens;

	/**
	 * Create a client for one internal app.
	 * @param http the shared HTTP client
	 * @param apiBaseUrl the API root, {@code https://open.feishu.cn} (Lark:
	 * {@code https://open.larksuite.com})
	 * @param appId the App ID ({@code cli_…})
	 * @param appSecret the App Secret
	 * @param timeout the longest wait for each HTTP answer
	 * @param clock the clock for token expiry
	 */
	public FeishuApi(HttpClient http, URI apiBaseUrl, String appId, String appSecret, Duration timeout, Clock clock) {
		this.http = Objects.requireNonNull(http, "http");
		this.baseUrl = Objects.requireNonNull(apiBaseUrl, "apiBaseUrl").toString().replaceAll("/+$", "");
		this.appId = requireText(appId, "appId");
		this.appSecret = requireText(appSecret, "appSecret");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tokens = new AccessTokenCache(PLATFORM + " tenant_access_token", this::fetchToken, REFRESH_BEFORE, clock);
	}

	/**
	 * Reply to a message with a text.
	 * @param messageId the {@code event.message.message_id} replied to ({@code om_…})
	 * @param text the text, not empty; at most about {@link #TEXT_LIMIT_BYTES}
	 * @param idempotencyKey Feishu's {@code uuid}, at most 50 characters, or {@code null}
	 * for none: Feishu sends at most one reply per key (for an hour, per its docs), so a
	 * retried call with the same key cannot reply twice. Use one key per part of a split
	 * reply (e.g. the event id and the part's index).
	 * @return completes when Feishu accepted the reply; fails with a
	 * {@link PlatformApiException}
	 * @throws IllegalArgumentException when the message id is malformed, the text empty,
	 * the key too long, or the body over {@link #BODY_LIMIT_BYTES}
	 */
	public CompletableFuture<Void> replyText(String messageId, String text, String idempotencyKey) {
		requireText(messageId, "messageId");
		if (!MESSAGE_ID.matcher(messageId).matches()) {
			throw new IllegalArgumentException("Feishu messageId has unexpected characters");
		}
		Objects.requireNonNull(text, "text");
		if (text.isEmpty()) {
			throw new IllegalArgumentException("Feishu text must not be empty");
		}
		if (idempotencyKey != null
				&& (idempotencyKey.isEmpty() || idempotencyKey.length() > IDEMPOTENCY_KEY_MAX_LENGTH)) {
			throw new IllegalArgumentException(
					"Feishu idempotency key must be 1 to " + IDEMPOTENCY_KEY_MAX_LENGTH + " characters");
		}
		byte[] body = PlatformExchange
			.toJson(new Reply(PlatformExchange.toJsonString(new TextContent(text)), "text", idempotencyKey));
		if (body.length > BODY_LIMIT_BYTES) {
			throw new IllegalArgumentException(
					"Feishu reply body is " + body.length + " bytes, over " + BODY_LIMIT_BYTES + "; split the text");
		}
		String path = "/open-apis/im/v1/messages/" + messageId + "/reply";
		return PlatformExchange.withToken(this.tokens, (token) -> post(path, "im/v1 reply", token, body),
				FeishuApi::rejectsToken);
	}

	private CompletableFuture<Void> post(String path, String operation, String token, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(this.timeout)
			.header("Content-Type", "application/json; charset=utf-8")
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, operation)
			.thenAccept((answer) -> check(answer, operation));
	}

	private CompletableFuture<AccessToken> fetchToken() {
		byte[] body = PlatformExchange.toJson(new TokenRequest(this.appId, this.appSecret));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.baseUrl + "/open-apis/auth/v3/tenant_access_token/internal"))
			.timeout(this.timeout)
			.header("Content-Type", "application/json; charset=utf-8")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		Instant requested = this.clock.instant();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, "tenant_access_token")
			.thenApply((answer) -> {
				JsonNode answerBody = check(answer, "tenant_access_token");
				String token = answer.text("tenant_access_token");
				if (token == null || token.isBlank()) {
					throw new PlatformApiException(PLATFORM, answer.status(), null, true,
							"Feishu tenant_access_token answered without a token");
				}
				long expire = answerBody.path("expire").asLong(0);
				Duration lifetime = (expire > 0) ? Duration.ofSeconds(expire) : DEFAULT_TOKEN_LIFETIME;
				return new AccessToken(token, requested.plus(lifetime));
			});
	}

	/** The body of a successful answer, or the failure its code or status means. */
	private static JsonNode check(Answer answer, String operation) {
		JsonNode code = answer.body().get("code");
		if (code != null && code.canConvertToLong() && code.asLong() != 0) {
			String text = code.asText();
			boolean retriable = RETRIABLE_CODES.contains(text) || PlatformExchange.retriableStatus(answer.status());
			throw new PlatformApiException(PLATFORM, answer.status(), text, retriable,
					"Feishu " + operation + " failed: HTTP " + answer.status() + " code " + text + " "
							+ PlatformExchange.detail(answer.text("msg")));
		}
		if (!answer.isSuccess() || code == null || !code.canConvertToLong()) {
			throw PlatformExchange.statusFailure(PLATFORM, operation, answer);
		}
		return answer.body();
	}

	private static boolean rejectsToken(PlatformApiException failure) {
		return failure.code() != null && TOKEN_REJECTED.contains(failure.code());
	}

	private static String requireText(String value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be blank");
		}
		return value;
	}

	/** Reply body; {@code content} is the JSON string of a {@link TextContent}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Reply(String content, @JsonProperty("msg_type") String msgType, String uuid) {

	}

	/** Text message content. */
	record TextContent(String text) {

	}

	/** Token request body. */
	record TokenRequest(@JsonProperty("app_id") String appId, @JsonProperty("app_secret") String appSecret) {

		@Override
		public String toString() {
			return "TokenRequest[appId=" + this.appId + ", appSecret=***]";
		}

	}

}
