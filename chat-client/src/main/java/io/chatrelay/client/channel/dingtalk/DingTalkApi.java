package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.client.platform.AccessTokenCache;
import io.chatrelay.client.platform.AccessTokenCache.AccessToken;
import io.chatrelay.client.platform.PlatformApiException;
import io.chatrelay.client.platform.PlatformExchange;
import io.chatrelay.client.platform.PlatformExchange.Answer;

/**
 * Replies of a DingTalk enterprise-internal robot (protocols B.1), as markdown: through
 * the message's {@code sessionWebhook} while it is valid, or through the robot OpenAPI,
 * which keeps working after it expired, with the app's {@code accessToken} cached by an
 * {@link AccessTokenCache}.
 *
 * <p>
 * OpenAPI paths and fields: {@code POST /v1.0/oauth2/accessToken} {@code {appKey,
 * appSecret}} → {@code {accessToken, expireIn}};
 * {@code POST /v1.0/robot/oToMessages/batchSend} and
 * {@code POST /v1.0/robot/groupMessages/send} with the header
 * {@code x-acs-dingtalk-access-token}, {@code msgKey} {@code sampleMarkdown} and
 * {@code msgParam} the JSON string {@code {"title","text"}}. The protocols mark the URL
 * paths as third-party-confirmed and the 7200 s lifetime as [UNVERIFIED]; the error
 * handling follows DingTalk's public docs and observed answers, also [UNVERIFIED]: errors
 * are HTTP 4xx/5xx with {@code {"code","message","requestid"}}; an invalid or expired
 * token is {@code code} {@code InvalidAuthentication} (seen with HTTP 400 and 401) and
 * makes the call drop the token and resend once; rate limits are HTTP 403 with
 * {@code Forbidden.AccessDenied.Qps…}/{@code Qpm…} codes and are retriable.
 *
 * <p>
 * The {@code sessionWebhook} URL is a credential (anyone holding it can post into the
 * conversation until it expires): it is never logged nor put in a message.
 */
final class DingTalkApi {

	/** The platform's name in exceptions and logs. */
	public static final String PLATFORM = "DingTalk";

	/**
	 * DingTalk renews a token that is fetched again before it expires, so fetching early
	 * costs nothing.
	 */
	static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

	static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(7200);

	static final String MARKDOWN_MSG_KEY = "sampleMarkdown";

	static final String TOKEN_HEADER = "x-acs-dingtalk-access-token";

	/**
	 * Session-webhook {@code errcode}s worth retrying: -1 busy, 90018 and 130101 rate
	 * limits (the latter documented for custom robots, [UNVERIFIED] for session
	 * webhooks).
	 */
	private static final Set<String> WEBHOOK_RETRIABLE = Set.of("-1", "90018", "130101");

	private final HttpClient http;

	private final String baseUrl;

	private final String appKey;

	private final String appSecret;

	private final String robotCode;

	private final Duration timeout;

	private final Clock clock;

	private final AccessTokenCache tokens;

	/**
	 * Create a client for one robot.
	 * @param http the shared HTTP client
	 * @param apiBaseUrl the OpenAPI root, {@code https://api.dingtalk.com}
	 * @param appKey the app's AppKey (Client ID)
	 * @param appSecret the app's AppSecret (Client Secret)
	 * @param robotCode the robot's code (the AppKey for an app robot)
	 * @param timeout the longest wait for each HTTP answer
	 * @param clock the clock for token expiry
	 */
	public DingTalkApi(HttpClient http, URI apiBaseUrl, String appKey, String appSecret, String robotCode,
			Duration timeout, Clock clock) {
		this.http = Objects.requireNonNull(http, "http");
		this.baseUrl = Objects.requireNonNull(apiBaseUrl, "apiBaseUrl").toString().replaceAll("/+$", "");
		this.appKey = requireText(appKey, "appKey");
		this.appSecret = requireText(appSecret, "appSecret");
		this.robotCode = requireText(robotCode, "robotCode");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tokens = new AccessTokenCache(PLATFORM + " accessToken", this::fetchToken, REFRESH_BEFORE, clock);
	}

	/**
	 * Reply in the conversation a message came from, through its {@code sessionWebhook}
	 * (no token, no signing). The answer's {@code errcode} is checked; an expired session
	 * fails without retry, after which {@link #sendToUser} or {@link #sendToGroup} still
	 * work.
	 * @param sessionWebhook the callback's {@code sessionWebhook}, valid until its
	 * {@code sessionWebhookExpiredTime}
	 * @param title the notification title
	 * @param markdown the markdown text
	 * @return completes when DingTalk accepted the reply; fails with a
	 * {@link PlatformApiException}
	 * @throws IllegalArgumentException when the webhook is not an absolute http(s) URL or
	 * the title or text is blank
	 */
	public CompletableFuture<Void> replyViaSessionWebhook(URI sessionWebhook, String title, String markdown) {
		checkWebhook(sessionWebhook);
		byte[] body = PlatformExchange.toJson(new WebhookMarkdown("markdown", markdown(title, markdown)));
		HttpRequest request = HttpRequest.newBuilder(sessionWebhook)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, "sessionWebhook")
			.thenAccept(DingTalkApi::checkWebhookAnswer);
	}

	/**
	 * Send markdown to one user in the robot's one-to-one chat
	 * ({@code /v1.0/robot/oToMessages/batchSend}).
	 * @param userId the user's userId (staff id)
	 * @param title the notification title
	 * @param markdown the markdown text
	 * @return completes when DingTalk accepted the message; fails with a
	 * {@link PlatformApiException}, retriable (code {@code flowControlled}) when DingTalk
	 * throttled this user, not retriable (code {@code invalidStaffId}) when it does not
	 * know the user
	 * @throws IllegalArgumentException when an argument is blank
	 */
	public CompletableFuture<Void> sendToUser(String userId, String title, String markdown) {
		requireText(userId, "userId");
		byte[] body = PlatformExchange
			.toJson(new BatchSend(this.robotCode, List.of(userId), MARKDOWN_MSG_KEY, msgParam(title, markdown)));
		return PlatformExchange.withToken(this.tokens,
				(token) -> post("/v1.0/robot/oToMessages/batchSend", "robot batchSend", token, body)
					.thenAccept((answer) -> checkRecipient(answer.body(), userId)),
				DingTalkApi::rejectsToken);
	}

	/**
	 * Send markdown to a group the robot is in ({@code /v1.0/robot/groupMessages/send}).
	 * @param openConversationId the group's {@code conversationId} from the callback
	 * @param title the notification title
	 * @param markdown the markdown text
	 * @return completes when DingTalk accepted the message; fails with a
	 * {@link PlatformApiException}
	 * @throws IllegalArgumentException when an argument is blank
	 */
	public CompletableFuture<Void> sendToGroup(String openConversationId, String title, String markdown) {
		requireText(openConversationId, "openConversationId");
		byte[] body = PlatformExchange
			.toJson(new GroupSend(this.robotCode, openConversationId, MARKDOWN_MSG_KEY, msgParam(title, markdown)));
		return PlatformExchange.withToken(this.tokens,
				(token) -> post("/v1.0/robot/groupMessages/send", "robot groupMessages/send", token, body)
					.thenAccept((answer) -> {
					}),
				DingTalkApi::rejectsToken);
	}

	private CompletableFuture<Answer> post(String path, String operation, String token, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header(TOKEN_HEADER, token)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, operation)
			.thenApply((answer) -> checkOpenApi(answer, operation));
	}

	private CompletableFuture<AccessToken> fetchToken() {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/v1.0/oauth2/accessToken"))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofByteArray(PlatformExchange.toJson(new TokenRequest(this.appKey, this.appSecret))))
			.build();
		Instant requested = this.clock.instant();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, "oauth2/accessToken")
			.thenApply((answer) -> {
				checkOpenApi(answer, "oauth2/accessToken");
				String token = answer.text("accessToken");
				if (token == null || token.isBlank()) {
					throw new PlatformApiException(PLATFORM, answer.status(), null, true,
							"DingTalk oauth2/accessToken answered without an accessToken");
				}
				long expireIn = answer.body().path("expireIn").asLong(0);
				Duration lifetime = (expireIn > 0) ? Duration.ofSeconds(expireIn) : DEFAULT_TOKEN_LIFETIME;
				return new AccessToken(token, requested.plus(lifetime));
			});
	}

	/** OpenAPI answers: 2xx is success, anything else carries {@code code/message}. */
	private static Answer checkOpenApi(Answer answer, String operation) {
		if (answer.isSuccess()) {
			return answer;
		}
		String code = answer.text("code");
		if (code == null) {
			throw PlatformExchange.statusFailure(PLATFORM, operation, answer);
		}
		boolean retriable = PlatformExchange.retriableStatus(answer.status()) || isRateLimit(code);
		throw new PlatformApiException(PLATFORM, answer.status(), code, retriable,
				"DingTalk " + operation + " failed: HTTP " + answer.status() + " " + code + " "
						+ PlatformExchange.detail(answer.text("message")));
	}

	private static void checkWebhookAnswer(Answer answer) {
		JsonNode errcode = answer.body().get("errcode");
		if (errcode != null && errcode.canConvertToLong() && errcode.asLong() != 0) {
			String code = errcode.asText();
			boolean retriable = WEBHOOK_RETRIABLE.contains(code) || PlatformExchange.retriableStatus(answer.status());
			throw new PlatformApiException(PLATFORM, answer.status(), code, retriable,
					"DingTalk sessionWebhook reply failed: errcode " + code + " "
							+ PlatformExchange.detail(answer.text("errmsg")));
		}
		if (!answer.isSuccess()) {
			throw PlatformExchange.statusFailure(PLATFORM, "sessionWebhook", answer);
		}
	}

	private static void checkRecipient(JsonNode body, String userId) {
		if (contains(body.path("invalidStaffIdList"), userId)) {
			throw new PlatformApiException(PLATFORM, 200, "invalidStaffId", false,
					"DingTalk robot batchSend: the user is not a valid recipient");
		}
		if (contains(body.path("flowControlledStaffIdList"), userId)) {
			throw new PlatformApiException(PLATFORM, 200, "flowControlled", true,
					"DingTalk robot batchSend: the user is rate limited");
		}
	}

	private static boolean contains(JsonNode list, String value) {
		for (JsonNode item : list) {
			if (value.equals(item.asText())) {
				return true;
			}
		}
		return false;
	}

	private static boolean rejectsToken(PlatformApiException failure) {
		return failure.status() == 401 || "InvalidAuthentication".equalsIgnoreCase(failure.code());
	}

	private static boolean isRateLimit(String code) {
		return code.startsWith("Forbidden.AccessDenied.Qps") || code.startsWith("Forbidden.AccessDenied.Qpm");
	}

	private static void checkWebhook(URI sessionWebhook) {
		Objects.requireNonNull(sessionWebhook, "sessionWebhook");
		String scheme = (sessionWebhook.getScheme() != null) ? sessionWebhook.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!sessionWebhook.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))
				|| sessionWebhook.getHost() == null) {
			throw new IllegalArgumentException("DingTalk sessionWebhook must be an absolute http(s) URL");
		}
	}

	private static Markdown markdown(String title, String markdown) {
		return new Markdown(requireText(title, "title"), requireText(markdown, "markdown"));
	}

	private static String msgParam(String title, String markdown) {
		return PlatformExchange.toJsonString(markdown(title, markdown));
	}

	private static String requireText(String value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be blank");
		}
		return value;
	}

	/** Session-webhook markdown body, as in {@code dingtalk_stream/chatbot.py}. */
	record WebhookMarkdown(String msgtype, Markdown markdown) {

	}

	/** Markdown content; also the {@code sampleMarkdown} {@code msgParam}. */
	record Markdown(String title, String text) {

	}

	/** One-to-one robot message body. */
	record BatchSend(String robotCode, List<String> userIds, String msgKey, String msgParam) {

	}

	/** Group robot message body. */
	record GroupSend(String robotCode, String openConversationId, String msgKey, String msgParam) {

	}

	/** Token request body. */
	record TokenRequest(String appKey, String appSecret) {

		@Override
		public String toString() {
			return "TokenRequest[appKey=" + this.appKey + ", appSecret=***]";
		}

	}

}
