package io.chatrelay.client.channel.feishu;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.FuzzCampaign;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a Feishu event callback through {@link FeishuChannel#read} and
 * {@link FeishuChannel#message}, with an Encrypt Key and a Verification Token set as in
 * production. A signed body either reads as an event or is rejected as malformed, for a
 * wrong token or for another app; an unsigned body can only be a
 * {@code url_verification}; a text message read is one the relay can answer. Nothing but
 * a {@link CallbackRejectedException} may escape.
 * <p>
 * Input layout: one mode byte (taken modulo 3), then
 * <ol start="0">
 * <li>a raw body, correctly signed;</li>
 * <li>the decrypted event JSON, encrypted into {@code {"encrypt":…}} and signed;</li>
 * <li>a raw body without signature headers.</li>
 * </ol>
 */
class FeishuEventFuzzTest {

	private static final String ENCRYPT_KEY = "test key";

	private static final String TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";

	private static final String APP_ID = "cli_9f5343c580712544";

	private static final String TIMESTAMP = "1608725989";

	private static final String NONCE = "nonce-x";

	private static final byte[] IV = "fixed-iv-16bytes".getBytes(StandardCharsets.US_ASCII);

	private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

	private final FeishuCrypto crypto = new FeishuCrypto(ENCRYPT_KEY);

	private final FeishuChannel channel = new FeishuChannel(
			new FeishuProperties(APP_ID, "secret", TOKEN, ENCRYPT_KEY, URI.create("http://127.0.0.1:9"),
					Duration.ofHours(8), Duration.ofHours(9), 262144),
			null, this.json, Clock.fixed(Instant.ofEpochSecond(Long.parseLong(TIMESTAMP)), ZoneOffset.UTC));

	@FuzzCampaign
	void readsOnlyVerifiedEventsForThisApp(byte[] input) throws GeneralSecurityException {
		if (input.length == 0) {
			return;
		}
		byte[] rest = Arrays.copyOfRange(input, 1, input.length);
		switch (Math.floorMod(input[0], 3)) {
			case 0 -> read(rest, true);
			case 1 -> read(encrypted(rest), true);
			default -> read(rest, false);
		}
	}

	private void read(byte[] body, boolean signed) {
		String signature = signed ? this.crypto.signature(TIMESTAMP, NONCE, body) : null;
		FeishuEvent event;
		try {
			event = this.channel.read(TIMESTAMP, NONCE, signature, body);
		}
		catch (CallbackRejectedException ex) {
			assertThat(ex.reason()).isIn(signed ? EnumSet.of(Reason.MALFORMED, Reason.SIGNATURE, Reason.WRONG_RECEIVER)
					: EnumSet.of(Reason.MALFORMED, Reason.SIGNATURE));
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		if (!signed) {
			assertThat(event).isInstanceOf(FeishuEvent.UrlVerification.class);
		}
		if (event instanceof FeishuEvent.UrlVerification verification) {
			assertThat(verification.challenge()).isNotEmpty();
		}
		if (event instanceof FeishuEvent.MessageReceived received) {
			ChannelMessage message = this.channel.message(received);
			if (message != null) {
				assertThat(message.channel()).isEqualTo(FeishuChannel.NAME);
				assertThat(message.conversationId()).startsWith("feishu:");
				assertThat(message.text()).isNotBlank();
				assertThat(message.messageId()).isEqualTo(received.eventId());
			}
		}
	}

	/** {@code {"encrypt":…}} as Feishu builds it, with a fixed IV so inputs replay. */
	private static byte[] encrypted(byte[] plaintext) throws GeneralSecurityException {
		byte[] key = MessageDigest.getInstance("SHA-256").digest(ENCRYPT_KEY.getBytes(StandardCharsets.UTF_8));
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
		byte[] sealed = cipher.doFinal(plaintext);
		byte[] data = Arrays.copyOf(IV, IV.length + sealed.length);
		System.arraycopy(sealed, 0, data, IV.length, sealed.length);
		return ("{\"encrypt\":\"" + Base64.getEncoder().encodeToString(data) + "\"}").getBytes(StandardCharsets.UTF_8);
	}

}
