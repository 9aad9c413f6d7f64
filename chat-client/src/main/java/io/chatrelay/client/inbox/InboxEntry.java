package io.chatrelay.client.inbox;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One accepted message in the inbox stream: the message, its stream id, and its place in
 * its conversation (1, 2, 3, … in the order the platform's callbacks were accepted).
 *
 * @param id the stream entry id
 * @param seq the message's number within its conversation
 * @param message the message
 */
public record InboxEntry(String id, long seq, ChannelMessage message) {

	private static final String REPLY = "reply.";

	/**
	 * The stream fields of a message (flat strings; the reply address as
	 * {@code reply.<key>} fields).
	 * @param message the message
	 * @return field/value pairs in a stable order
	 */
	static Map<String, String> fields(ChannelMessage message) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("channel", message.channel());
		fields.put("messageId", message.messageId());
		fields.put("conversationId", message.conversationId());
		fields.put("userId", message.userId());
		fields.put("text", message.text());
		fields.put("receivedAt", String.valueOf(message.receivedAtMillis()));
		message.replyTo().forEach((key, value) -> fields.put(REPLY + key, value));
		return fields;
	}

	/**
	 * Read an entry back.
	 * @param id the stream entry id
	 * @param fields its fields
	 * @return the entry
	 * @throws IllegalArgumentException if a field is missing
	 */
	static InboxEntry of(String id, Map<String, String> fields) {
		Map<String, String> replyTo = new HashMap<>();
		fields.forEach((key, value) -> {
			if (key.startsWith(REPLY)) {
				replyTo.put(key.substring(REPLY.length()), value);
			}
		});
		ChannelMessage message = new ChannelMessage(required(fields, "channel"), required(fields, "messageId"),
				required(fields, "conversationId"), required(fields, "userId"), required(fields, "text"), replyTo,
				Long.parseLong(required(fields, "receivedAt")));
		return new InboxEntry(id, Long.parseLong(required(fields, "seq")), message);
	}

	private static String required(Map<String, String> fields, String name) {
		String value = fields.get(name);
		if (value == null) {
			throw new IllegalArgumentException("inbox entry without " + name);
		}
		return value;
	}

	@Override
	public String toString() {
		return "InboxEntry[id=" + this.id + ", seq=" + this.seq + ", " + this.message + "]";
	}

}
