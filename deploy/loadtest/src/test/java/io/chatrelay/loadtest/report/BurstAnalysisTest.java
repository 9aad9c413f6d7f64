package io.chatrelay.loadtest.report;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static io.chatrelay.loadtest.report.BurstOutcomes.START;
import static org.assertj.core.api.Assertions.assertThat;

class BurstAnalysisTest {

	/** Capacity 100: 150/s for 10 s, then 50/s for 20 s, in 5 s windows. */
	private static final BurstCriteria CRITERIA = new BurstCriteria(100, Duration.ofSeconds(10), Duration.ofSeconds(20),
			Duration.ofSeconds(5), 50, Duration.ofSeconds(15));

	@Test
	void aSystemThatKeepsUpPassesAllThree() {
		BurstOutcomes run = new BurstOutcomes().answered(0, 10_000, 1_500, 5).answered(10_000, 30_000, 1_000, 5);

		BurstResult result = analyse(run);

		assertThat(result.burstAnsweredPerSecond()).as("all but the last few, answered after the burst")
			.isBetween(148.0, 150.0);
		assertThat(result.burstAnsweredShare()).isBetween(1.48, 1.5);
		assertThat(result.burstAcceptedPerSecond()).isBetween(149.0, 150.0);
		assertThat(result.windows()).hasSize(6);
		assertThat(result.recoverySeconds()).isEqualTo(0.0);
		assertThat(result.answered()).isEqualTo(2_500);
		assertThat(result.throughputPass()).isTrue();
		assertThat(result.lostPass()).isTrue();
		assertThat(result.recoveryPass()).isTrue();
		assertThat(result.pass()).isTrue();
	}

	@Test
	void answersThatArriveAfterTheBurstDoNotCountForItsThroughput() {
		BurstOutcomes run = new BurstOutcomes().answered(0, 10_000, 850, 5)
			.answered(0, 10_000, 650, 30_000)
			.answered(10_000, 30_000, 1_000, 5);

		BurstResult result = analyse(run);

		assertThat(result.burstAnsweredPerSecond()).isBetween(84.0, 85.0);
		assertThat(result.throughputPass()).as("under 0.9 x 100").isFalse();
		assertThat(result.lostPass()).isTrue();
		assertThat(result.recoveryPass()).isTrue();
		assertThat(result.pass()).isFalse();
	}

	@Test
	void oneLostMessageMisses() {
		BurstOutcomes run = new BurstOutcomes().answered(0, 10_000, 1_500, 5)
			.answered(10_000, 30_000, 1_000, 5)
			.lost(12_000);

		BurstResult result = analyse(run);

		assertThat(result.lost()).isEqualTo(1);
		assertThat(result.lostPass()).isFalse();
		assertThat(result.pass()).isFalse();
	}

	@Test
	void refusedAndBusyMessagesAreCountedButAreNotLost() {
		BurstOutcomes run = new BurstOutcomes().answered(0, 10_000, 1_400, 5)
			.answered(10_000, 30_000, 1_000, 5)
			.status(9_000, 503)
			.busyApology(9_100);

		BurstResult result = analyse(run);

		assertThat(result.refused()).isEqualTo(1);
		assertThat(result.busyApologies()).isEqualTo(1);
		assertThat(result.lost()).isZero();
		assertThat(result.lostPass()).isTrue();
		assertThat(result.windows().get(1).refused()).isEqualTo(1);
		assertThat(result.redelivery()).contains("does not deliver a callback again").contains("refused (busy)");
	}

	@Test
	void aRecoveryWithinTheLimitPassesAndOneBeyondItMisses() {
		BurstOutcomes within = new BurstOutcomes().answered(0, 10_000, 1_500, 5)
			.answered(10_000, 25_000, 600, 300)
			.answered(25_000, 30_000, 250, 5);
		BurstOutcomes beyond = new BurstOutcomes().answered(0, 10_000, 1_500, 5)
			.answered(10_000, 30_000, 1_000, 300)
			.answered(29_000, 5);

		assertThat(analyse(within).recoverySeconds()).isEqualTo(15.0);
		assertThat(analyse(within).recoveryPass()).isTrue();
		assertThat(analyse(beyond).recoverySeconds()).as("the last window is over").isNull();
		assertThat(analyse(beyond).recoveryPass()).isFalse();
		assertThat(analyse(beyond).pass()).isFalse();
	}

	private static BurstResult analyse(BurstOutcomes run) {
		return BurstAnalysis.analyse(CRITERIA, run.outcomes(), START, run::serviceNanos);
	}

}
