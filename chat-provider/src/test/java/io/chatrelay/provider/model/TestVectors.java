package io.chatrelay.provider.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the shared protocol vectors copied into {@code src/test/resources/vectors}.
 */
public final class TestVectors {

	private static final ObjectMapper JSON = new ObjectMapper();

	private TestVectors() {
	}

	/**
	 * Read a vector file.
	 * @param name the file name, e.g. {@code llm-openai.json}
	 * @return its JSON tree
	 */
	public static JsonNode load(String name) {
		try (InputStream in = TestVectors.class.getResourceAsStream("/vectors/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test vector " + name);
			}
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The OpenAI vectors.
	 * @return the tree of {@code llm-openai.json}
	 */
	public static JsonNode openAi() {
		return load("llm-openai.json");
	}

}
