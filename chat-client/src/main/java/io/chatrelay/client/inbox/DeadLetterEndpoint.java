package io.chatrelay.client.inbox;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/deadletters}: lists the messages that could not be answered
 * ({@code GET}), and puts one back into the inbox as a new message of its conversation
 * ({@code POST /actuator/deadletters/{id}}). For operators: expose it only on a
 * management port that users cannot reach. The list shows the message text, shortened.
 */
@Endpoint(id = "deadletters")
public class DeadLetterEndpoint {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterEndpoint.class);

	private static final int SHOWN_CHARS = 80;

	private final DeadLetters deadLetters;

	DeadLetterEndpoint(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	/**
	 * The oldest dead letters.
	 * @return up to 100, oldest first
	 */
	@ReadOperation
	public List<Map<String, String>> list() {
		return this.deadLetters.list(100).stream().map((entry) -> {
			Map<String, String> fields = entry.getFields();
			String text = fields.getOrDefault("text", "");
			return Map.of("id", entry.getID().toString(), "channel", fields.getOrDefault("channel", ""), "messageId",
					fields.getOrDefault("messageId", ""), "conversationId", fields.getOrDefault("conversationId", ""),
					"reason", fields.getOrDefault("reason", ""), "text",
					(text.length() > SHOWN_CHARS) ? text.substring(0, SHOWN_CHARS) + "…" : text);
		}).toList();
	}

	/**
	 * Replay one dead letter.
	 * @param id its id in the dead-letter stream
	 * @return {@code replayed} or {@code not found}
	 */
	@WriteOperation
	public Map<String, String> replay(@Selector String id) {
		boolean replayed = this.deadLetters.replay(id);
		log.info("Dead letter {} {}", id, replayed ? "replayed into the inbox" : "not found");
		return Map.of("id", id, "result", replayed ? "replayed" : "not found");
	}

}
