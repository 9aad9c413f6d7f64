package io.chatrelay.loadtest.traffic;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The protocol test vectors ({@code shared/protocols/vectors}, copied to the test
 * resources).
 */
final class Vectors {

	private static final ObjectMapper JSON = new ObjectMapper();

	private Vectors() {
	}

	/**
	 * One vector.
	 * @param file e.g. {@code feishu.json}
	 * @param id the vector's {@code id}
	 * @return the vector
	 * @throws IOException if the file cannot be read
	 */
	static JsonNode vector(String file, String id) throws IOException {
		try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + file)) {
			for (JsonNode vector : JSON.readTree(in).path("vectors")) {
				if (id.equals(vector.path("id").asText())) {
					return vector;
				}
			}
		}
		throw new IllegalStateException("No vector " + id + " in " + file);
	}

}
