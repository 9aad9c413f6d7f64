package io.chatrelay.provider.model.ernie;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErnieBodyReaderTest {

	private final List<String> seen = new ArrayList<>();

	private final ErnieBodyReader reader = new ErnieBodyReader(new ErnieBodyReader.Listener() {

		@Override
		public void onJson(String json) {
			ErnieBodyReaderTest.this.seen.add("json:" + json);
		}

		@Override
		public void onData(String data) {
			ErnieBodyReaderTest.this.seen.add("data:" + data);
		}

		@Override
		public void onDone() {
			ErnieBodyReaderTest.this.seen.add("done");
		}

	});

	@Test
	void readsServerSentEventsOfTheVector() {
		feed(ErnieStubs.VECTOR.at("/v1/stream/sse_lines/0").asText(), "",
				ErnieStubs.VECTOR.at("/v1/stream/sse_lines/1").asText());

		assertThat(this.seen).hasSize(2).allSatisfy((event) -> assertThat(event).startsWith("data:{\"id\""));
	}

	@Test
	void readsAStreamStartingWithAKeepAliveComment() {
		feed("", ": ping", "", "data: {\"a\":1}", "", "data: [DONE]", "");

		assertThat(this.seen).containsExactly("data:{\"a\":1}", "done");
	}

	@Test
	void collectsAPlainJsonErrorAnsweringAStreamRequest() {
		feed("", "{\"error_code\":336003,", "  \"error_msg\":\"messages length must be odd\"}");

		assertThat(this.seen)
			.containsExactly("json:{\"error_code\":336003,\n  \"error_msg\":\"messages length must be odd\"}\n");
	}

	@Test
	void reportsNothingForAnEmptyBody() {
		feed("", " ");

		assertThat(this.seen).isEmpty();
	}

	@Test
	void refusesAnOversizedJsonBody() {
		assertThat(this.reader.line("{\"result\":\"")).isTrue();
		assertThat(this.reader.line("x".repeat(ErnieBodyReader.MAX_JSON_BODY))).isFalse();
	}

	private void feed(String... lines) {
		for (String line : lines) {
			assertThat(this.reader.line(line)).isTrue();
		}
		this.reader.end();
	}

}
