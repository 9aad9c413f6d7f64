package io.chatrelay.provider.model.zhipu;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.provider.model.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ZhipuJwtSignerTest {

	private static final JsonNode VECTOR = TestVectors.load("llm-zhipu.json").at("/auth/mode_2_jwt/vector");

	private static final Duration TTL = Duration.ofSeconds(210);

	private static final Duration CACHE = Duration.ofSeconds(180);

	@Test
	void signsExactlyTheVectorToken() {
		ZhipuJwtSigner signer = new ZhipuJwtSigner(VECTOR.get("apikey").asText(), TTL, CACHE, Clock.systemUTC());

		String token = signer.sign(VECTOR.get("now_ms").asLong());

		assertThat(token).isEqualTo(VECTOR.get("jwt").asText());
		String[] parts = token.split("\\.");
		assertThat(decode(parts[0])).isEqualTo(VECTOR.get("header_json").asText());
		assertThat(decode(parts[1])).isEqualTo(VECTOR.get("payload_json").asText());
	}

	@Test
	void signatureVerifiesWithTheSecretAndCarriesMillisecondClaims() throws Exception {
		ZhipuJwtSigner signer = new ZhipuJwtSigner("my-id.my-secret", TTL, CACHE,
				Clock.fixed(Instant.ofEpochMilli(1_750_000_000_123L), ZoneOffset.UTC));

		String token = signer.token();

		assertThat(verifies(token, "my-secret")).isTrue();
		assertThat(verifies(token, "other-secret")).isFalse();
		assertThat(decode(token.split("\\.")[1]))
			.isEqualTo("{\"api_key\":\"my-id\",\"exp\":1750000210123,\"timestamp\":1750000000123}");
	}

	@Test
	void reusesTheTokenWithinTheCacheWindowAndSignsAnewAfterIt() {
		MutableClock clock = new MutableClock(1_700_000_000_000L);
		ZhipuJwtSigner signer = new ZhipuJwtSigner("12345678.abcdefg", TTL, CACHE, clock);

		String first = signer.token();
		clock.advance(Duration.ofSeconds(179).plusMillis(999));
		String stillCached = signer.token();
		clock.advance(Duration.ofMillis(1));
		String renewed = signer.token();
		String renewedAgain = signer.token();

		assertThat(stillCached).isSameAs(first);
		assertThat(renewed).isNotEqualTo(first).isSameAs(renewedAgain);
		assertThat(decode(renewed.split("\\.")[1])).contains("\"timestamp\":1700000180000");
		assertThat(signer.signatures()).isEqualTo(2);
	}

	@Test
	void signsOnceForManyConcurrentCallers() throws Exception {
		ZhipuJwtSigner signer = new ZhipuJwtSigner("12345678.abcdefg", TTL, CACHE, Clock.systemUTC());
		int callers = 32;
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<String>> tokens = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				tokens.add(pool.submit(() -> {
					start.await();
					return signer.token();
				}));
			}
			start.countDown();
			Set<String> distinct = ConcurrentHashMap.newKeySet();
			for (Future<String> token : tokens) {
				distinct.add(token.get(5, TimeUnit.SECONDS));
			}

			assertThat(distinct).hasSize(1);
			assertThat(signer.signatures()).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void signsAnewAfterInvalidation() {
		MutableClock clock = new MutableClock(1_700_000_000_000L);
		ZhipuJwtSigner signer = new ZhipuJwtSigner("12345678.abcdefg", TTL, CACHE, clock);

		String first = signer.token();
		clock.advance(Duration.ofSeconds(1));
		signer.invalidate();

		assertThat(signer.token()).isNotEqualTo(first);
		assertThat(signer.signatures()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "plainkey", ".secret", "id.", "a.b.c", "id. secret", "" })
	void rejectsKeysWithoutTheIdSecretForm(String key) {
		assertThat(ZhipuJwtSigner.isIdSecret(key)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new ZhipuJwtSigner(key, TTL, CACHE, Clock.systemUTC()))
			.withMessage("Zhipu API key does not have the id.secret form");
	}

	@Test
	void neverShowsTheSecret() {
		ZhipuJwtSigner signer = new ZhipuJwtSigner("0123456789abcdef.TOPSECRETvalue", TTL, CACHE, Clock.systemUTC());

		assertThat(signer.toString()).doesNotContain("TOPSECRET").doesNotContain("0123456789abcdef");
	}

	private static String decode(String segment) {
		return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
	}

	private static boolean verifies(String token, String secret) throws Exception {
		int lastDot = token.lastIndexOf('.');
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(expected).equals(token.substring(lastDot + 1));
	}

	/** A clock tests move by hand. */
	static final class MutableClock extends Clock {

		private final AtomicLong millis;

		MutableClock(long millis) {
			this.millis = new AtomicLong(millis);
		}

		void advance(Duration duration) {
			this.millis.addAndGet(duration.toMillis());
		}

		@Override
		public long millis() {
			return this.millis.get();
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(millis());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
