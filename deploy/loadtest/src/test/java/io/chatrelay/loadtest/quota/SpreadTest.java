package io.chatrelay.loadtest.quota;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpreadTest {

	@Test
	void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
		Spread spread = Spread.of(240, 171, 182);

		assertThat(spread).isEqualTo(new Spread(182, 171, 240));
		assertThat(spread.format(0)).isEqualTo("182 (171–240)");
	}

	@Test
	void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
		assertThat(Spread.of(4, 1, 3, 2).median()).isEqualTo(2.5);
		assertThat(Spread.of(1.004).format(2)).isEqualTo("1.00 (1.00–1.00)");
	}

	@Test
	void rejectsNoValues() {
		assertThatIllegalArgumentException().isThrownBy(Spread::of);
	}

}
