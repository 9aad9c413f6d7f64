package io.chatrelay.provider.model.ernie;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;

/**
 * What differs between the two Qianfan API generations; {@link ErnieChatModel} and
 * {@link ErnieStream} run either one with the same timeouts, error handling and
 * single-terminal-call guarantees.
 *
 * <p>
 * Methods that read vendor output throw (or return) a
 * {@link io.chatrelay.api.ChatException} or, for a v1 access token the vendor rejected
 * (110/111), an {@link ErnieErrorMapper.TokenRejected}; the caller then calls
 * {@link #rejected} and sends the request once more. Everything ends in
 * {@link ErnieErrorMapper#fromThrowable}, so no other exception type reaches a caller.
 */
interface ErnieApi {

	/**
	 * The name used in messages and logs.
	 * @return {@code ERNIE v1} or {@code ERNIE v2}
	 */
	String label();

	/**
	 * Validate and encode a request and build one HTTP attempt (v1 first obtains an
	 * access token). Nothing is sent when the credentials are missing or the request is
	 * invalid.
	 * @param request the question
	 * @param stream whether to ask for a stream
	 * @return the attempt, or a future failed with a {@code ChatException}
	 */
	CompletableFuture<Prepared> prepare(ModelRequest request, boolean stream);

	/**
	 * Read a whole answer or one stream event (both are JSON documents).
	 * @param json the body or the event's data
	 * @param headers the response headers, for the request id and {@code Retry-After}
	 * @param chunk {@code true} for a stream event
	 * @return the content
	 * @throws RuntimeException a {@code ChatException} or {@code TokenRejected} when the
	 * document is an error, unreadable, or flagged as not displayable
	 */
	ErnieReply read(String json, HttpHeaders headers, boolean chunk);

	/**
	 * Map a response whose status is not 2xx.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body, possibly not JSON
	 * @return a {@code ChatException} or {@code TokenRejected}
	 */
	RuntimeException fromStatus(int status, HttpHeaders headers, String body);

	/**
	 * The vendor rejected the access token of this attempt: forget it so the next
	 * {@link #prepare} obtains a new one (once, however many callers report it).
	 * @param attempt the rejected attempt
	 */
	void rejected(Prepared attempt);

	/**
	 * One HTTP attempt.
	 *
	 * @param httpRequest the request to send (its URI may hold a secret: never log it
	 * unmasked)
	 * @param model the model or v1 endpoint asked for
	 * @param accessToken the v1 access token in the URI, {@code null} for v2
	 */
	record Prepared(HttpRequest httpRequest, String model, String accessToken) {

	}

	/**
	 * The content of an answer or a stream event.
	 *
	 * @param text the text or delta, may be {@code null} or empty
	 * @param model the model the vendor named, or {@code null}
	 * @param finishReason see {@link ErnieWire#finishReason}; {@code null} while a stream
	 * goes on
	 * @param usage tokens billed so far, or {@code null}
	 * @param last whether this ends the answer: always for a whole answer; for a stream
	 * event only v1's {@code is_end:true} (v2 streams end with {@code [DONE]})
	 */
	record ErnieReply(String text, String model, String finishReason, TokenUsage usage, boolean last) {

	}

}
