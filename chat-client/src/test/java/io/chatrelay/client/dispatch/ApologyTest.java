package io.chatrelay.client.dispatch;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ApologyTest {

	@ParameterizedTest
	@EnumSource(ChatErrorCode.class)
	void everyFailureGetsAPoliteTextWithoutInternals(ChatErrorCode code) {
		String text = Apology.of(new ChatException(code, "upstream said: secret detail"));

		assertThat(text).isNotBlank().doesNotContain("secret detail").doesNotContain(code.name());
		assertThat(text).isEqualTo(switch (code) {
			case RATE_LIMITED, UNAVAILABLE, TIMEOUT -> Apology.BUSY;
			case CONTENT_FILTERED -> Apology.FILTERED;
			case BAD_REQUEST, UNAUTHORIZED -> Apology.FAILED;
		});
	}

	@org.junit.jupiter.api.Test
	void noProviderMeansBusyAnythingElseMeansFailed() {
		assertThat(Apology.of(new RpcException(RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER, "no provider")))
			.isEqualTo(Apology.BUSY);
		assertThat(Apology.of(new IllegalStateException("bug"))).isEqualTo(Apology.FAILED);
	}

}
