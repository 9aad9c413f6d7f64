package io.chatrelay.client.channel.wecombot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.FuzzCampaign;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the WeCom 智能机器人 codec: callbacks read through {@link WeComBotCodec#read} (signed
 * correctly, so the fuzzer reaches the JSON and the crypto) and stream replies written by
 * {@link WeComBotCodec#streamReply}. A callback either reads, with the fields the channel
 * needs to route it, or is rejected with a {@link CallbackRejectedException} for a
 * malformed body or another receiver; a stream reply decrypts to the content given, cut
 * between characters to the stream limit.
 * <p>
 * Input layout: one mode byte (taken modulo 3), then
 * <ol start="0">
 * <li>the raw POST body, {@code {"encrypt":"…"}} as WeCom sends it;</li>
 * <li>the decrypted message JSON, encrypted and wrapped as WeCom does;</li>
 * <li>a stream reply: one flag byte ({@code finish} when odd), then the content.</li>
 * </ol>
 */
class WeComBotCallbackFuzzTest {

	private static final String TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

	private static final String AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

	private static final String TIMESTAMP = "1700000000";

	private static final String NONCE = "nonce123";

	private static final String STREAM_ID = "STREAMID";

	private static final byte[] RANDOM16 = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

	private final WeComCrypto crypto = new WeComCrypto(TOKEN, AES_KEY, "");

	private final WeComBotCodec codec = new WeComBotCodec(this.crypto, this.json);

	@FuzzCampaign
	void readsCallbacksAndWritesStreamRepliesWithinTheProtocol(byte[] input) throws IOException {
		if (input.length == 0) {
			return;
		}
		byte[] rest = Arrays.copyOfRange(input, 1, input.length);
		switch (Math.floorMod(input[0], 3)) {
			case 0 -> read(rest);
			case 1 -> read(envelope(this.crypto.encrypt(RANDOM16, new String(rest, StandardCharsets.UTF_8))));
			default -> streamReply(rest);
		}
	}

	private void read(byte[] body) {
		WeComBotCallback callback;
		try {
			callback = this.codec.read(signatureOf(body), TIMESTAMP, NONCE, body);
		}
		catch (CallbackRejectedException ex) {
			assertThat(ex.reason()).isIn(EnumSet.of(Reason.MALFORMED, Reason.WRONG_RECEIVER));
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(callback.msgType()).isNotNull();
		if (callback.isStreamRefresh()) {
			assertThat(callback.streamId()).isNotNull();
		}
		String text = WeComBotChannel.userText(callback);
		assertThat(text).isEqualTo(text.strip());
		if (callback.aibotId() != null && callback.userId() != null) {
			assertThat(WeComBotChannel.conversationId(callback.aibotId(), callback.chatId(), callback.userId()))
				.startsWith(WeComBotChannel.NAME + ":");
		}
	}

	/** The right signature when the body has an encrypt string, else a wrong one. */
	private String signatureOf(byte[] body) {
		try {
			JsonNode encrypt = this.json.readTree(body).path("encrypt");
			if (encrypt.isValueNode() && !encrypt.isNull() && !encrypt.asText().isEmpty()) {
				return this.crypto.signature(TIMESTAMP, NONCE, encrypt.asText());
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not JSON: the codec must reject it as malformed.
		}
		return "0".repeat(40);
	}

	private void streamReply(byte[] rest) throws IOException {
		boolean finish = rest.length > 0 && (rest[0] & 1) == 1;
		String content = new String(rest, Math.min(1, rest.length), Math.max(0, rest.length - 1),
				StandardCharsets.UTF_8);
		JsonNode reply = this.json.readTree(this.codec.streamReply(STREAM_ID, content, finish, NONCE, TIMESTAMP));
		String encrypt = reply.path("encrypt").asText();
		this.crypto.verify(reply.path("msgsignature").asText(), reply.path("timestamp").asText(),
				reply.path("nonce").asText(), encrypt);
		JsonNode message = this.json.readTree(this.crypto.decrypt(encrypt));
		assertThat(message.path("msgtype").asText()).isEqualTo("stream");
		assertThat(message.path("stream").path("id").asText()).isEqualTo(STREAM_ID);
		assertThat(message.path("stream").path("finish").asBoolean(!finish)).isEqualTo(finish);
		String sent = message.path("stream").path("content").asText();
		assertThat(sent.getBytes(StandardCharsets.UTF_8))
			.hasSizeLessThanOrEqualTo(WeComBotCodec.MAX_STREAM_CONTENT_BYTES);
		assertThat(content).startsWith(sent);
		if (content.getBytes(StandardCharsets.UTF_8).length <= WeComBotCodec.MAX_STREAM_CONTENT_BYTES) {
			assertThat(sent).isEqualTo(content);
		}
	}

	private byte[] envelope(String encrypt) {
		return this.json.createObjectNode().put("encrypt", encrypt).toString().getBytes(StandardCharsets.UTF_8);
	}

}
