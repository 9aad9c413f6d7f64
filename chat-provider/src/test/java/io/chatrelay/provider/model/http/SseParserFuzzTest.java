package io.chatrelay.provider.model.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatrelay.provider.FuzzCampaign;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link SseParser} with any body cut into any chunks. The parser documents no
 * exception, so none may escape; the events must not depend on how the body is cut, nor
 * on whether it arrives as characters ({@link SseParser#feed}) or as lines
 * ({@link SseParser#line}, as the JDK's line subscriber delivers it); {@code [DONE]} is
 * never reported as data.
 * <p>
 * Input layout: one byte {@code n} (taken modulo 16), then {@code n} chunk lengths of one
 * byte each, then the body as UTF-8 (malformed bytes become U+FFFD, as the transport
 * decodes them).
 */
class SseParserFuzzTest {

	private static final int MAX_CUTS = 16;

	@FuzzCampaign
	void reportsTheSameEventsHoweverTheBodyIsCut(byte[] input) {
		if (input.length == 0) {
			return;
		}
		int cuts = Math.min(input[0] & (MAX_CUTS - 1), input.length - 1);
		int[] lengths = new int[cuts];
		for (int i = 0; i < cuts; i++) {
			lengths[i] = input[1 + i] & 0xff;
		}
		String body = utf8(input, 1 + cuts);

		List<String> whole = new ArrayList<>();
		SseParser once = new SseParser(recorder(whole));
		once.feed(body);
		once.end();

		List<String> chunked = new ArrayList<>();
		SseParser pieces = new SseParser(recorder(chunked));
		int at = 0;
		for (int length : lengths) {
			int end = Math.min(body.length(), at + length);
			pieces.feed(body.subSequence(at, end));
			at = end;
		}
		pieces.feed(body.substring(at));
		pieces.end();

		List<String> byLine = new ArrayList<>();
		SseParser lines = new SseParser(recorder(byLine));
		lines(body).forEach(lines::line);
		lines.end();

		assertThat(chunked).as("events fed in chunks").isEqualTo(whole);
		assertThat(byLine).as("events fed line by line").isEqualTo(whole);
		assertThat(whole)
			.noneMatch((event) -> event.startsWith("data:") && event.substring(5).strip().equals("[DONE]"));
	}

	private static SseParser.Listener recorder(List<String> events) {
		return new SseParser.Listener() {

			@Override
			public void onData(String data) {
				events.add("data:" + data);
			}

			@Override
			public void onDone() {
				events.add("done");
			}

		};
	}

	/** The lines as {@link BufferedReader#readLine()} splits them (LF, CR or CRLF). */
	private static List<String> lines(String body) {
		List<String> lines = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new StringReader(body))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				lines.add(line);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return lines;
	}

	private static String utf8(byte[] bytes, int offset) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPLACE)
				.onUnmappableCharacter(CodingErrorAction.REPLACE)
				.decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalStateException("A replacing decoder does not fail", ex);
		}
	}

}
