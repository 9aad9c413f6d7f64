package io.chatrelay.client.channel.dingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DingTalkSignatureTest {

	private static final long HOUR = 3_600_000L;

	private static JsonNode vector;

	@BeforeAll
	static void loadVector() throws IOException {
		try (InputStream in = DingTalkSignatureTest.class.getResourceAsStream("/vectors/dingtalk.json")) {
			for (JsonNode candidate : new ObjectMapper().readTree(in).path("vectors")) {
				if ("dingtalk-http-callback-sign".equals(candidate.path("id").asText())) {
					vector = candidate;
				}
			}
		}
		assertThat(vector).isNotNull();
	}

	@Test
	void signsTheVector() {
		assertThat(signature().sign(timestampMillis())).isEqualTo(vector.path("expected_sign").asText());
	}

	@ParameterizedTest
	@CsvSource({ "this is a secret,1577262236757", "another secret,1700000000000", "密钥 ünïcode,1", "s,0" })
	void signsLikeAnIndependentJceComputation(String secret, long timestamp) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = Base64.getEncoder()
			.encodeToString(mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8)));

		assertThat(new DingTalkSignature(secret).sign(timestamp)).isEqualTo(expected);
	}

	@Test
	void acceptsTheVectorHeaders() {
		assertThatCode(() -> signature().verify(timestampHeader(), signHeader(), timestampMillis() + 5000))
			.doesNotThrowAnyException();
	}

	@ParameterizedTest
	@ValueSource(longs = { -HOUR, 0, HOUR })
	void acceptsTimestampUpToOneHourEitherWay(long skewMillis) {
		assertThatCode(() -> signature().verify(timestampHeader(), signHeader(), timestampMillis() - skewMillis))
			.doesNotThrowAnyException();
	}

	@ParameterizedTest
	@ValueSource(longs = { -HOUR - 1, HOUR + 1, -86_400_000L, 86_400_000L })
	void rejectsStaleTimestampEitherWay(long skewMillis) {
		assertRejected(Reason.STALE,
				() -> signature().verify(timestampHeader(), signHeader(), timestampMillis() - skewMillis));
	}

	@Test
	void rejectsCallbackWithForgedSign() {
		String forged = new DingTalkSignature("not the secret").sign(timestampMillis());

		CallbackRejectedException rejected = assertRejected(Reason.SIGNATURE,
				() -> signature().verify(timestampHeader(), forged, timestampMillis()));
		assertThat(rejected.getMessage()).doesNotContain("this is a secret").doesNotContain(signHeader());
	}

	@Test
	void rejectsSignOfAnotherTimestamp() {
		String other = Long.toString(timestampMillis() + 1);

		assertRejected(Reason.SIGNATURE, () -> signature().verify(other, signHeader(), timestampMillis()));
	}

	@Test
	void rejectsUrlEncodedSignBecauseTheHeaderIsNot() {
		String urlEncoded = URLEncoder.encode(signHeader(), StandardCharsets.UTF_8);
		assertThat(urlEncoded).isNotEqualTo(signHeader());

		assertRejected(Reason.SIGNATURE, () -> signature().verify(timestampHeader(), urlEncoded, timestampMillis()));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "abc", "-1577262236757", "+1577262236757", "1577262236757.0", "1577262236757 ",
			"15772622367570000000" })
	void rejectsMissingOrNonNumericTimestamp(String timestamp) {
		assertRejected(Reason.SIGNATURE, () -> signature().verify(timestamp, signHeader(), timestampMillis()));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " " })
	void rejectsMissingSign(String sign) {
		assertRejected(Reason.SIGNATURE, () -> signature().verify(timestampHeader(), sign, timestampMillis()));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "  " })
	void refusesToStartWithoutSecret(String secret) {
		assertThatIllegalArgumentException().isThrownBy(() -> new DingTalkSignature(secret));
	}

	private static CallbackRejectedException assertRejected(Reason reason, ThrowingCallable call) {
		CallbackRejectedException rejected = catchThrowableOfType(CallbackRejectedException.class, call);
		assertThat(rejected).as("rejection").isNotNull();
		assertThat(rejected.reason()).isEqualTo(reason);
		return rejected;
	}

	private static DingTalkSignature signature() {
		return new DingTalkSignature(vector.path("app_secret").asText());
	}

	private static String timestampHeader() {
		return vector.path("headers").path("timestamp").asText();
	}

	private static long timestampMillis() {
		return Long.parseLong(timestampHeader());
	}

	private static String signHeader() {
		return vector.path("headers").path("sign").asText();
	}

}
