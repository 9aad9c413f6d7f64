package io.chatrelay.client.channel.web;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.api.ChatReply;
import io.chatrelay.client.conversation.AnswerListener;
import io.chatrelay.client.conversation.ConversationKey;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.conversation.Inquiry;
import io.chatrelay.api.ChatOptions;
import io.chatrelay.client.identity.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The web channel: a JSON endpoint that answers with the whole reply, and an SSE endpoint
 * that streams {@code delta} events then one {@code done} event (or one {@code error}
 * event). A web conversation is scoped to its user: the same conversation id of two users
 * is two conversations. The user is the authenticated {@link Caller}; a {@code userId} in
 * the body counts only in the explicit anonymous mode.
 */
@RestController
class WebChatController {

	static final String CHANNEL = "web";

	private static final Logger log = LoggerFactory.getLogger(WebChatController.class);

	private static final long STREAM_TIMEOUT_MILLIS = 135_000;

	private final ConversationService conversations;

	private final int maxMessageChars;

	private final boolean anonymous;

	WebChatController(ConversationService conversations, int maxMessageChars, boolean anonymous) {
		this.conversations = conversations;
		this.maxMessageChars = maxMessageChars;
		this.anonymous = anonymous;
	}

	@PostMapping(path = "/api/v1/chat", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CompletableFuture<ResponseEntity<WebChatResponse>> chat(@RequestBody WebChatRequest body) {
		Inquiry inquiry = inquiry(body);
		return this.conversations.ask(inquiry)
			.thenApply((reply) -> ResponseEntity.ok(WebChatResponse.of(body.conversationId(), reply)));
	}

	@PostMapping(path = "/api/v1/chat/stream", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestBody WebChatRequest body) {
		Inquiry inquiry = inquiry(body);
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
		this.conversations.askStreaming(inquiry, new AnswerListener() {

			@Override
			public void onDelta(String text) {
				send(emitter, "delta", new Delta(text));
			}

			@Override
			public void onComplete(ChatReply reply) {
				if (send(emitter, "done", WebChatResponse.of(body.conversationId(), reply))) {
					emitter.complete();
				}
			}

			@Override
			public void onError(Throwable error) {
				if (send(emitter, "error", WebErrors.body(error))) {
					emitter.complete();
				}
			}

		});
		return emitter;
	}

	private Inquiry inquiry(WebChatRequest body) {
		if (body == null) {
			throw new InvalidWebRequestException(List.of("request body is required"));
		}
		Caller caller = Caller.current();
		if (caller == null && !this.anonymous) {
			throw new AuthenticationCredentialsNotFoundException("A credential is required");
		}
		List<String> problems = body.problems(this.maxMessageChars, caller == null);
		if (!problems.isEmpty()) {
			throw new InvalidWebRequestException(problems);
		}
		if (caller != null && !caller.mayUse(ChatOptions.DEFAULT_MODEL)) {
			// The web API asks for whatever routing picks: a key restricted to named
			// models
			// may not use it.
			throw new AccessDeniedException("This API key may not use model '" + ChatOptions.DEFAULT_MODEL
					+ "' (allowed: " + String.join(", ", new TreeSet<>(caller.models())) + ")");
		}
		String userId = (caller != null) ? caller.userId() : body.userId();
		return new Inquiry(UUID.randomUUID().toString(), CHANNEL,
				ConversationKey.of(CHANNEL, userId, body.conversationId()), userId, body.message(),
				(caller != null) ? caller.keyLimits() : null);
	}

	private static boolean send(SseEmitter emitter, String event, Object data) {
		try {
			emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			log.debug("Web stream closed by the caller: {}", ex.toString());
			emitter.completeWithError(ex);
			return false;
		}
	}

	/**
	 * The data of a {@code delta} event.
	 *
	 * @param text the text to append
	 */
	record Delta(String text) {
	}

}
