package io.chatrelay.client.channel.wecom;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;

import io.chatrelay.client.FuzzCampaign;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.channel.wecomcrypto.WeComVectors;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a WeCom app callback through {@link WeComChannel#read}: the XML envelope, the
 * ciphertext inside it and the XML inside that, each correctly signed and fresh, so the
 * fuzzer gets past the signature to the parsers. The only failure allowed is a
 * {@link CallbackRejectedException} for a malformed body or another receiver (never a
 * signature or timestamp one: both are right); a message read must be one the relay can
 * answer. Encrypting any text and decrypting it gives the text back.
 * <p>
 * Input layout: one mode byte (taken modulo 3), then
 * <ol start="0">
 * <li>the raw POST body (the envelope as WeCom sends it);</li>
 * <li>the decrypted frame, {@code random(16) | length | message | receiveId | padding},
 * encrypted as it is (padded to 32 bytes first when it is not whole AES blocks);</li>
 * <li>the message XML, encrypted by {@link WeComCrypto#encrypt(byte[], String)}.</li>
 * </ol>
 */
class WeComCallbackFuzzTest {

	private static final String CORP_ID = "wx5823bf96d3bd56c7";

	private static final String TOKEN = "QDG6eK";

	private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

	private static final String TIMESTAMP = "1409659813";

	private static final String NONCE = "1372623149";

	private static final byte[] RANDOM16 = WeComVectors.ascii("0960688932c47ef1");

	private final WeComCrypto crypto = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);

	private final WeComChannel channel = new WeComChannel(
			new WeComProperties(CORP_ID, "218", "secret", TOKEN, AES_KEY, URI.create("http://127.0.0.1:9"),
					Duration.ofHours(1), Duration.ofHours(2), 65536),
			null, Clock.fixed(Instant.ofEpochSecond(Long.parseLong(TIMESTAMP)), ZoneOffset.UTC));

	@FuzzCampaign
	void readsOnlyWellFormedCallbacksForThisCorp(byte[] input) {
		if (input.length == 0) {
			return;
		}
		byte[] rest = Arrays.copyOfRange(input, 1, input.length);
		switch (Math.floorMod(input[0], 3)) {
			case 0 -> read(rest);
			case 1 -> read(envelope(WeComVectors.rawEncrypt(AES_KEY, padded(rest))));
			default -> read(envelope(encryptedRoundTrip(new String(rest, StandardCharsets.UTF_8))));
		}
	}

	private String encryptedRoundTrip(String xml) {
		String encrypt = this.crypto.encrypt(RANDOM16, xml);
		assertThat(this.crypto.decrypt(encrypt)).isEqualTo(xml);
		return encrypt;
	}

	private void read(byte[] body) {
		String signature;
		try {
			signature = this.crypto.signature(TIMESTAMP, NONCE, WeComXml.encryptField(body));
		}
		catch (CallbackRejectedException ex) {
			assertThat(ex.reason()).isEqualTo(Reason.MALFORMED);
			signature = "0".repeat(40);
		}
		ChannelMessage message;
		try {
			message = this.channel.read(signature, TIMESTAMP, NONCE, body);
		}
		catch (CallbackRejectedException ex) {
			assertThat(ex.reason()).isIn(EnumSet.of(Reason.MALFORMED, Reason.WRONG_RECEIVER));
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		if (message != null) {
			assertThat(message.channel()).isEqualTo(WeComChannel.NAME);
			assertThat(message.conversationId()).startsWith("wecom:");
			assertThat(message.text()).isNotBlank().isEqualTo(message.text().strip());
			assertThat(message.userId()).isNotBlank();
			assertThat(message.messageId()).isNotBlank();
		}
	}

	private static byte[] envelope(String encrypt) {
		return ("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
				+ "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Whole AES blocks as they are (the fuzzer picks the padding), else WeCom's padding.
	 */
	private static byte[] padded(byte[] frame) {
		if (frame.length > 0 && frame.length % 16 == 0) {
			return frame;
		}
		int pad = 32 - frame.length % 32;
		byte[] padded = Arrays.copyOf(frame, frame.length + pad);
		Arrays.fill(padded, frame.length, padded.length, (byte) pad);
		return padded;
	}

}
