package io.chatrelay.loadtest;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

	private final WarmUp warmUp = new WarmUp(Duration.ofSeconds(60), Duration.ofSeconds(300), 0.10);

	@Test
	void warmsAtLeastTheLeastWhateverTheJitDoes() {
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(45), 0.0)).isTrue();
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(60), 0.0)).isFalse();
	}

	@Test
	void goesOnWhileTheJitIsBusyAndStopsWhenItIsQuiet() {
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(60), 0.35)).isTrue();
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(150), 0.11)).isTrue();
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(150), 0.10)).isFalse();
	}

	@Test
	void neverPassesTheMost() {
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(285), 0.9)).isTrue();
		assertThat(this.warmUp.goesOn(Duration.ofSeconds(290), 0.9)).isFalse();
		assertThat(new WarmUp(Duration.ofSeconds(2), Duration.ofSeconds(2), 0.10).goesOn(Duration.ofSeconds(2), 0.9))
			.isFalse();
	}

}
