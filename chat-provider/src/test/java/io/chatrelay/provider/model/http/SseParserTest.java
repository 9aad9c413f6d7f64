package io.chatrelay.provider.model.http;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.provider.model.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

	private static final JsonNode VECTOR = TestVectors.openAi();

	private static final String SSE_TEXT = VECTOR.at("/stream/sse_text").asText();

	private static final String SSE_TAIL = VECTOR.at("/stream_with_usage/sse_tail").asText();

	private final Recorder recorder = new Recorder();

	private final SseParser parser = new SseParser(this.recorder);

	@Test
	void parsesVectorStreamIntoThreeJsonEventsThenDone() throws Exception {
		feedLines(SSE_TEXT);

		assertThat(this.recorder.events).hasSize(4).endsWith("[DONE]");
		List<String> contents = new ArrayList<>();
		for (String event : this.recorder.events.subList(0, 3)) {
			JsonNode chunk = new ObjectMapper().readTree(event);
			contents.add(chunk.at("/choices/0/delta/content").asText(null));
		}
		assertThat(contents).containsExactly("", "Hello", null);
	}

	@Test
	void parsesUsageTailWithEmptyChoicesBeforeDone() throws Exception {
		feedLines(SSE_TAIL);

		assertThat(this.recorder.events).hasSize(3).endsWith("[DONE]");
		JsonNode usageChunk = new ObjectMapper().readTree(this.recorder.events.get(1));
		assertThat(usageChunk.get("choices")).isEmpty();
		assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(29);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 7, 64, 10_000 })
	void givesSameEventsWhenFedInChunksOfAnySize(int chunkSize) {
		feedChunks(SSE_TEXT + SSE_TAIL, chunkSize);

		SseParserTest reference = new SseParserTest();
		reference.feedLines(SSE_TEXT + SSE_TAIL);
		assertThat(this.recorder.events).isEqualTo(reference.recorder.events).hasSize(7);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 3, 10_000 })
	void acceptsCrlfLineEndingsEvenWhenSplitBetweenCrAndLf(int chunkSize) {
		feedChunks(SSE_TEXT.replace("\n", "\r\n"), chunkSize);

		assertThat(this.recorder.events).hasSize(4).endsWith("[DONE]");
		assertThat(this.recorder.events.get(1)).contains("\"Hello\"").doesNotContain("\r");
	}

	@Test
	void acceptsLoneCarriageReturnLineEndings() {
		feedChunks("data: a\r\rdata: b\r\r", 4);

		assertThat(this.recorder.events).containsExactly("a", "b");
	}

	@Test
	void stripsTrailingCarriageReturnFromFedLines() {
		this.parser.line("data: {\"a\":1}\r");
		this.parser.line("\r");

		assertThat(this.recorder.events).containsExactly("{\"a\":1}");
	}

	@Test
	void ignoresCommentsAndEventIdRetryFields() {
		feedLines(": keep-alive\n:\nevent: message\nid: 42\nretry: 1000\nfoo: bar\ndata: x\n\n: trailing comment\n\n");

		assertThat(this.recorder.events).containsExactly("x");
	}

	@Test
	void joinsMultiLineDataWithNewlines() {
		feedLines("data: first\ndata: second\ndata:\n\n");

		assertThat(this.recorder.events).containsExactly("first\nsecond\n");
	}

	@Test
	void keepsPrettyPrintedJsonAcrossDataLinesAsOneEvent() {
		feedLines("data: {\ndata:   \"choices\": [\ndata: {\"index\":0}\ndata:   ]\ndata: }\n\n");

		assertThat(this.recorder.events).containsExactly("{\n  \"choices\": [\n{\"index\":0}\n  ]\n}");
	}

	@Test
	void toleratesMissingSpaceAfterColonAndRemovesOnlyOneSpace() {
		feedLines("data:{\"a\":1}\n\ndata:  indented\n\ndata:[DONE]\n\n");

		assertThat(this.recorder.events).containsExactly("{\"a\":1}", " indented", "[DONE]");
	}

	@Test
	void splitsCompleteJsonDataLinesWithoutBlankSeparators() {
		feedLines("data: {\"n\":1,\"s\":\"}{\"}\ndata: {\"n\":2}\ndata: [DONE]\n");
		this.parser.end();

		assertThat(this.recorder.events).containsExactly("{\"n\":1,\"s\":\"}{\"}", "{\"n\":2}", "[DONE]");
	}

	@Test
	void reportsDoneDistinctlyAndNeverAsData() {
		feedLines("data: [DONE]\n\n");

		assertThat(this.recorder.data).isEmpty();
		assertThat(this.recorder.doneCount).isEqualTo(1);
	}

	@Test
	void dispatchesLastEventAtEndOfBodyWithoutBlankLine() {
		this.parser.feed("data: {\"a\":1}\n\ndata: {\"b\":2}");
		assertThat(this.recorder.events).containsExactly("{\"a\":1}");

		this.parser.end();

		assertThat(this.recorder.events).containsExactly("{\"a\":1}", "{\"b\":2}");
	}

	@Test
	void ignoresEventsWithoutData() {
		feedLines("event: ping\n\n\n\n");
		this.parser.end();

		assertThat(this.recorder.events).isEmpty();
	}

	private void feedLines(String text) {
		for (String line : text.split("\n", -1)) {
			this.parser.line(line);
		}
	}

	private void feedChunks(String text, int chunkSize) {
		for (int i = 0; i < text.length(); i += chunkSize) {
			this.parser.feed(text.substring(i, Math.min(text.length(), i + chunkSize)));
		}
		this.parser.end();
	}

	private static final class Recorder implements SseParser.Listener {

		private final List<String> events = new ArrayList<>();

		private final List<String> data = new ArrayList<>();

		private int doneCount;

		@Override
		public void onData(String value) {
			this.data.add(value);
			this.events.add(value);
		}

		@Override
		public void onDone() {
			this.doneCount++;
			this.events.add("[DONE]");
		}

	}

}
