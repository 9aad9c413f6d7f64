package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes data-only server-sent events ({@code data: <payload>} and a blank line),
 * flushing after each one so the caller sees every event as it is produced.
 */
final class SseWriter {

	private final OutputStream out;

	private final ObjectMapper json;

	SseWriter(OutputStream out, ObjectMapper json) {
		this.out = out;
		this.json = json;
	}

	void data(JsonNode payload) throws IOException {
		data(this.json.writeValueAsString(payload));
	}

	void data(String payload) throws IOException {
		this.out.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
		this.out.flush();
	}

}
