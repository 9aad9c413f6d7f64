package io.chatrelay.client.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyTokenTest {

	@Test
	void aGeneratedKeyParsesBackAndMatchesOnlyItsOwnHash() {
		ApiKeyToken token = ApiKeyToken.generate();

		ApiKeyToken parsed = ApiKeyToken.parse(token.text()).orElseThrow();

		assertThat(parsed).isEqualTo(token);
		assertThat(token.text()).matches("crk_[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
		assertThat(parsed.matches(ApiKeyToken.hash(token.secret()))).isTrue();
		assertThat(parsed.matches(ApiKeyToken.hash(ApiKeyToken.newSecret()))).isFalse();
	}

	@Test
	void twoKeysNeverShareIdOrSecret() {
		ApiKeyToken one = ApiKeyToken.generate();
		ApiKeyToken two = ApiKeyToken.generate();

		assertThat(one.id()).isNotEqualTo(two.id());
		assertThat(one.secret()).isNotEqualTo(two.secret());
	}

	@Test
	void textThatIsNotAKeyDoesNotParse() {
		assertThat(ApiKeyToken.parse(null)).isEmpty();
		assertThat(ApiKeyToken.parse("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isEmpty();
		assertThat(ApiKeyToken.parse("crk_0123456789abcdef")).isEmpty();
		assertThat(ApiKeyToken.parse("crk_0123456789ABCDEF." + "a".repeat(43))).isEmpty();
		assertThat(ApiKeyToken.parse("crk_0123456789abcdef." + "a".repeat(42))).isEmpty();
		assertThat(ApiKeyToken.parse("crk_0123456789abcdef." + "a".repeat(43))).isPresent();
	}

	@Test
	void theStoredHashIsSha256OfTheSecret() {
		assertThat(ApiKeyToken.hash("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void itsStringFormHidesTheSecret() {
		ApiKeyToken token = ApiKeyToken.generate();

		assertThat(token.toString()).doesNotContain(token.secret()).startsWith("crk_" + token.id());
	}

}
