package io.chatrelay.client.channel.wecom;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.client.platform.AccessTokenCache;
import io.chatrelay.client.platform.AccessTokenCache.AccessToken;
import io.chatrelay.client.platform.PlatformApiException;
import io.chatrelay.client.platform.PlatformExchange;
import io.chatrelay.client.platform.PlatformExchange.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active sends of a WeCom self-built app (protocols A.2): {@code message/send} to members
 * and {@code appchat/send} to app group chats, with the app's {@code access_token} from
 * {@code gettoken} cached by an {@link AccessTokenCache}.
 *
 * <p>
 * WeCom answers HTTP 200 with an {@code errcode}. Codes 40014 (invalid token), 42001
 * (expired) and 40001 (invalid credential) on a send drop the cached token and resend
 * once with a new one. -1 (busy), 45009 (frequency limit), 45011 and 45033 (concurrency
 * limit) are retriable; every other non-zero code is not. The code list is from WeCom's
 * global error-code page and is [UNVERIFIED] in the protocols.
 *
 * <p>
 * One call sends one message. Texts longer than {@link #TEXT_LIMIT_BYTES} are refused
 * rather than left to WeCom to truncate: split them with
 * {@link io.chatrelay.client.platform.TextSplitter} first.
 *
 * <p>
 * The token and the secret travel in query strings, so URLs are never logged. Each HTTP
 * request is bounded by the timeout; a send that needs a token fetch and a resend makes
 * up to four requests.
 */
final class WeComApi {

	private static final Logger logger = LoggerFactory.getLogger(WeComApi.class);

	/** The platform's name in exceptions and logs. */
	public static final String PLATFORM = "WeCom";

	/** The most UTF-8 bytes of {@code text.content} for {@code message/send}. */
	public static final int TEXT_LIMIT_BYTES = 2048;

	/**
	 * How long identical {@code message/send} requests are deduplicated by WeCom
	 * ({@code duplicate_check_interval}): long enough to cover a caller's retries after a
	 * timeout or 5xx, short enough that a repeated identical answer minutes later (a user
	 * asking the same thing again) is still delivered.
	 */
	public static final Duration DUPLICATE_CHECK_INTERVAL = Duration.ofMinutes(5);

	/** Tokens live 7200 s; WeCom hands out the same token until it expires. */
	static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

	static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(7200);

	private static final Set<String> TOKEN_REJECTED = Set.of("40014", "42001", "40001");

	private static final Set<String> RETRIABLE_CODES = Set.of("-1", "45009", "45011", "45033");

	private final HttpClient http;

	private final String baseUrl;

	private final String corpId;

	private final String secret;

	private final Duration timeout;

	private final Clock clock;

	private final AccessTokenCache tokens;

	/**
	 * Create a client for one app.
	 * @param http the shared HTTP client
	 * @param apiBaseUrl the API root, {@code https://qyapi.weixin.qq.com}
	 * @param corpId the CorpID
	 * @param secret the app's secret (one token per secret)
	 * @param timeout the longest wait for each HTTP answer
	 * @param clock the clock for token expiry
	 */
	public WeComApi(HttpClient http, URI apiBaseUrl, String corpId, String secret, Duration timeout, Clock clock) {
		this.http = Objects.requireNonNull(http, "http");
		this.baseUrl = Objects.requireNonNull(apiBaseUrl, "apiBaseUrl").toString().replaceAll("/+$", "");
		this.corpId = requireText(corpId, "corpId");
		this.secret = requireText(secret, "secret");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tokens = new AccessTokenCache(PLATFORM + " access_token", this::fetchToken, REFRESH_BEFORE, clock);
	}

	/**
	 * Send a text to members through the app ({@code POST /cgi-bin/message/send}), with
	 * WeCom's duplicate check on for {@link #DUPLICATE_CHECK_INTERVAL}, so that a retried
	 * send of the same text to the same members is delivered once.
	 * @param agentId the app's AgentId (numeric)
	 * @param toUser the member's UserID, or several joined by {@code |}
	 * @param text the text, 1 to {@link #TEXT_LIMIT_BYTES} UTF-8 bytes
	 * @return completes when WeCom accepted the message; fails with a
	 * {@link PlatformApiException} (code {@code invaliduser} when no recipient could
	 * receive it)
	 * @throws IllegalArgumentException when the agent id is not a number or the text is
	 * empty or too long
	 */
	public CompletableFuture<Void> sendText(String agentId, String toUser, String text) {
		long agent = agentId(agentId);
		requireText(toUser, "toUser");
		byte[] body = PlatformExchange.toJson(new MessageSend(toUser, "text", agent, new Text(checkText(text)), 0, 1,
				DUPLICATE_CHECK_INTERVAL.toSeconds()));
		return PlatformExchange.withToken(this.tokens,
				(token) -> post("/cgi-bin/message/send", "message/send", token, body)
					.thenAccept((answer) -> checkRecipients(answer, toUser)),
				WeComApi::rejectsToken);
	}

	/**
	 * Send a text to an app group chat ({@code POST /cgi-bin/appchat/send}; the chat must
	 * have been created by the app with {@code appchat/create}). WeCom offers no
	 * duplicate check here.
	 * @param chatId the group chat's id
	 * @param text the text, 1 to {@link #TEXT_LIMIT_BYTES} UTF-8 bytes
	 * @return completes when WeCom accepted the message; fails with a
	 * {@link PlatformApiException}
	 * @throws IllegalArgumentException when the text is empty or too long
	 */
	public CompletableFuture<Void> sendAppChatText(String chatId, String text) {
		requireText(chatId, "chatId");
		byte[] body = PlatformExchange.toJson(new AppChatSend(chatId, "text", new Text(checkText(text)), 0));
		return PlatformExchange.withToken(this.tokens,
				(token) -> post("/cgi-bin/appchat/send", "appchat/send", token, body).thenAccept((answer) -> {
				}), WeComApi::rejectsToken);
	}

	private CompletableFuture<JsonNode> post(String path, String operation, String token, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path + "?access_token=" + encode(token)))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, operation)
			.thenApply((answer) -> check(answer, operation));
	}

	private CompletableFuture<AccessToken> fetchToken() {
		URI uri = URI.create(this.baseUrl + "/cgi-bin/gettoken?corpid=" + encode(this.corpId) + "&corpsecret="
				+ encode(this.secret));
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.timeout)
			.header("Accept", "application/json")
			.GET()
			.build();
		Instant requested = this.clock.instant();
		return PlatformExchange.send(this.http, request, this.timeout, PLATFORM, "gettoken").thenApply((answer) -> {
			JsonNode body = check(answer, "gettoken");
			String token = answer.text("access_token");
			if (token == null || token.isBlank()) {
				throw new PlatformApiException(PLATFORM, answer.status(), null, true,
						"WeCom gettoken answered without an access_token");
			}
			long expiresIn = body.path("expires_in").asLong(0);
			Duration lifetime = (expiresIn > 0) ? Duration.ofSeconds(expiresIn) : DEFAULT_TOKEN_LIFETIME;
			return new AccessToken(token, requested.plus(lifetime));
		});
	}

	/** The body of a successful answer, or the failure its errcode or status means. */
	private static JsonNode check(Answer answer, String operation) {
		JsonNode errcode = answer.body().get("errcode");
		if (errcode != null && errcode.canConvertToLong() && errcode.asLong() != 0) {
			String code = errcode.asText();
			boolean retriable = RETRIABLE_CODES.contains(code) || PlatformExchange.retriableStatus(answer.status());
			throw new PlatformApiException(PLATFORM, answer.status(), code, retriable, "WeCom " + operation
					+ " failed: errcode " + code + " " + PlatformExchange.detail(answer.text("errmsg")));
		}
		if (!answer.isSuccess() || errcode == null || !errcode.canConvertToLong()) {
			throw PlatformExchange.statusFailure(PLATFORM, operation, answer);
		}
		return answer.body();
	}

	/**
	 * WeCom accepts a send with errcode 0 even when some recipients cannot receive it
	 * ({@code invaliduser}, {@code unlicenseduser}); fail only when none can, since the
	 * others already have the message.
	 */
	private static void checkRecipients(JsonNode body, String toUser) {
		Set<String> undelivered = new HashSet<>();
		undelivered.addAll(ids(body.path("invaliduser").asText("")));
		undelivered.addAll(ids(body.path("unlicenseduser").asText("")));
		if (undelivered.isEmpty()) {
			return;
		}
		if (undelivered.containsAll(ids(toUser))) {
			throw new PlatformApiException(PLATFORM, 200, "invaliduser", false,
					"WeCom message/send reached no recipient (invalid or unlicensed user)");
		}
		logger.warn("WeCom message/send did not reach {} of the recipients (invalid or unlicensed)",
				undelivered.size());
	}

	private static Set<String> ids(String joined) {
		Set<String> ids = new HashSet<>(Arrays.asList(joined.split("\\|")));
		ids.remove("");
		return ids;
	}

	private static boolean rejectsToken(PlatformApiException failure) {
		return failure.code() != null && TOKEN_REJECTED.contains(failure.code());
	}

	private static long agentId(String agentId) {
		requireText(agentId, "agentId");
		try {
			return Long.parseLong(agentId.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("WeCom agentId must be a number");
		}
	}

	private static String checkText(String text) {
		Objects.requireNonNull(text, "text");
		int bytes = text.getBytes(StandardCharsets.UTF_8).length;
		if (bytes == 0 || bytes > TEXT_LIMIT_BYTES) {
			throw new IllegalArgumentException(
					"WeCom text must be 1 to " + TEXT_LIMIT_BYTES + " UTF-8 bytes, not " + bytes);
		}
		return text;
	}

	private static String requireText(String value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be blank");
		}
		return value;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** {@code message/send} body for a text. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record MessageSend(String touser, String msgtype, long agentid, Text text, int safe,
			@JsonProperty("enable_duplicate_check") int enableDuplicateCheck,
			@JsonProperty("duplicate_check_interval") long duplicateCheckInterval) {

	}

	/** {@code appchat/send} body for a text. */
	record AppChatSend(String chatid, String msgtype, Text text, int safe) {

	}

	record Text(String content) {

	}

}
