package io.chatrelay.client.identity;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTest {

	@Test
	void aKeyWithoutModelsMayUseEveryModelOfItsTenant() {
		Caller caller = new Caller("acme", "key:k1", Set.of(), Caller.Source.API_KEY, "k1", Set.of());

		assertThat(caller.mayUse("default")).isTrue();
		assertThat(caller.mayUse("gpt-4o")).isTrue();
	}

	@Test
	void aKeyWithModelsMayUseOnlyThose() {
		Caller caller = new Caller("acme", "key:k1", Set.of(), Caller.Source.API_KEY, "k1", Set.of("gpt-4o"));

		assertThat(caller.mayUse("gpt-4o")).isTrue();
		assertThat(caller.mayUse("default")).isFalse();
	}

}
