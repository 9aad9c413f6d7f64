package io.chatrelay.loadtest.standin;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class LatencyModelTest {

	@Test
	void readsTheThreeShapes() {
		assertThat(LatencyModel.parse("fixed:50ms")).isEqualTo(new LatencyModel.Fixed(Duration.ofMillis(50)));
		assertThat(LatencyModel.parse("5s")).isEqualTo(new LatencyModel.Fixed(Duration.ofSeconds(5)));
		assertThat(LatencyModel.parse("uniform:20ms..80ms"))
			.isEqualTo(new LatencyModel.Uniform(Duration.ofMillis(20), Duration.ofMillis(80)));
		assertThat(LatencyModel.parse("lognormal:50ms,400ms"))
			.isEqualTo(new LatencyModel.LogNormal(Duration.ofMillis(50), Duration.ofMillis(400)));
	}

	@Test
	void rejectsWhatItCannotRead() {
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyModel.parse("gamma:1s"));
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyModel.parse("uniform:80ms"));
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyModel.parse("lognormal:400ms,50ms"));
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyModel.parse("fixed:-5ms"));
	}

	@Test
	void uniformStaysWithinItsBounds() {
		LatencyModel model = LatencyModel.parse("uniform:20ms..80ms");
		SplittableRandom random = new SplittableRandom(1);
		for (int i = 0; i < 10_000; i++) {
			assertThat(model.sampleNanos(random)).isBetween(20_000_000L, 80_000_000L);
		}
	}

	@Test
	void logNormalHitsTheGivenMedianAndNinetyNinthPercentile() {
		LatencyModel model = LatencyModel.parse("lognormal:50ms,400ms");
		SplittableRandom random = new SplittableRandom(42);
		long[] samples = new long[200_000];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = model.sampleNanos(random);
		}
		Arrays.sort(samples);

		assertThat(samples[samples.length / 2] / 1e6).isCloseTo(50, within(1.5));
		assertThat(samples[(int) (samples.length * 0.99)] / 1e6).isCloseTo(400, within(16.0));
	}

}
