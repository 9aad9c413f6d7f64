package io.chatrelay.provider.model.zhipu;

import java.time.Clock;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.compat.CompatCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How calls authenticate to Zhipu, following {@link ZhipuProperties#authMode()}: a cached
 * HS256 JWT signed by {@link ZhipuJwtSigner} for {@code id.secret} keys, else the key as
 * a Bearer token. A blank key, or a key that {@code auth-mode: jwt} cannot sign, is a
 * {@link #problem()}: every call fails with {@code UNAUTHORIZED} and nothing is sent.
 */
final class ZhipuCredentials implements CompatCredentials {

	private static final Logger logger = LoggerFactory.getLogger(ZhipuCredentials.class);

	private final String apiKey;

	private final String problem;

	private final ZhipuJwtSigner signer;

	ZhipuCredentials(ZhipuProperties properties, Clock clock) {
		this.apiKey = properties.apiKey();
		this.problem = problem(properties);
		this.signer = (this.problem == null && properties.usesJwt())
				? new ZhipuJwtSigner(properties.apiKey(), properties.tokenTtl(), properties.tokenCacheTime(), clock)
				: null;
	}

	@Override
	public String problem() {
		return this.problem;
	}

	@Override
	public String bearerToken() {
		if (this.signer == null) {
			return this.apiKey;
		}
		try {
			return this.signer.token();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot sign a Zhipu token: {}", ex.getMessage());
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, "Cannot sign the Zhipu token");
		}
	}

	/**
	 * Zhipu rejected the credentials (1000–1004, e.g. 1003 "token expired", or 401/403):
	 * the next call signs a new token.
	 */
	void rejected() {
		if (this.signer != null) {
			this.signer.invalidate();
		}
	}

	private static String problem(ZhipuProperties properties) {
		if (!properties.hasApiKey()) {
			return "Zhipu API key is not configured";
		}
		if (properties.authMode() == ZhipuProperties.AuthMode.JWT && !ZhipuJwtSigner.isIdSecret(properties.apiKey())) {
			return "Zhipu API key must have the id.secret form for auth-mode jwt";
		}
		return null;
	}

}
