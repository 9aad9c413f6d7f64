package io.chatrelay.loadtest;

import java.time.Duration;
import java.util.List;

import io.chatrelay.loadtest.report.BurstCriteria;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ToolOptionsTest {

	@Test
	void securityIsOnUnlessSwitchedOff() {
		assertThat(ToolOptions.parse("s2").security()).isEqualTo(Security.ON);
		assertThat(ToolOptions.parse("s2", "--security=on").security()).isEqualTo(Security.ON);
		assertThat(ToolOptions.parse("s2", "--security=off").security()).isEqualTo(Security.OFF);
		assertThat(ToolOptions.parse("s2", "--security=OFF").security()).isEqualTo(Security.OFF);
	}

	@Test
	void anUnknownSecurityModeIsRefusedWhenTheCommandLineIsRead() {
		assertThatIllegalArgumentException().isThrownBy(() -> ToolOptions.parse("s2", "--security=partial"))
			.withMessageContaining("--security must be on or off");
		assertThatIllegalArgumentException().isThrownBy(() -> ToolOptions.parse("s2", "--security"))
			.as("a bare --security reads as true, which is not a mode")
			.withMessageContaining("--security must be on or off");
	}

	@Test
	void clientPropertiesArePairsInOrder() {
		assertThat(ToolOptions
			.parse("burst", "--client-properties=chat.client.inbox.max-queue-delay=2s, chat.client.inbox.batch=64")
			.properties("client-properties"))
			.containsExactly(java.util.Map.entry("chat.client.inbox.max-queue-delay", "2s"),
					java.util.Map.entry("chat.client.inbox.batch", "64"));
		assertThat(ToolOptions.parse("burst").properties("client-properties")).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> ToolOptions.parse("burst", "--client-properties=nonsense").properties("client-properties"))
			.withMessageContaining("name=value");
	}

	@Test
	void theHelpNamesTheSecuritySwitch() {
		assertThat(ToolOptions.USAGE).contains("--security=on").contains("off: plaintext Triple");
	}

	@Test
	void oneS2StepIsOptionsApart() {
		ToolOptions options = ToolOptions.parse("s2", "--s2-rates=300", "--security=off", "--warmup=30s");

		assertThat(options.scenarios()).containsExactly("s2");
		assertThat(options.rates("s2-rates", "50,100")).containsExactly(300.0);
		assertThat(options.duration("warmup", Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.security()).isEqualTo(Security.OFF);
	}

	@Test
	void noScenarioMeansTheStandardSetAndStandardExpands() {
		assertThat(ToolOptions.parse().scenarios()).isEqualTo(List.of("s1", "s2", "s3", "s4"));
		assertThat(ToolOptions.parse("standard", "smoke").scenarios()).containsExactly("s1", "s2", "s3", "s4", "smoke");
		assertThat(ToolOptions.parse("--help").scenarios()).isEmpty();
	}

	@Test
	void anUnknownArgumentIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ToolOptions.parse("s5"))
			.withMessageContaining("Unknown argument 's5'");
	}

	@Test
	void theBurstIsIssue14sRunUnlessOptionsSayOtherwise() {
		ToolOptions standard = ToolOptions.parse("burst");
		ToolOptions small = ToolOptions.parse("burst", "--capacity=100", "--burst=10s", "--calm=20s", "--window=2s",
				"--recovery-p99=30", "--recover-within=10s");

		assertThat(standard.scenarios()).containsExactly("burst");
		assertThat(standard.burstCriteria()).isEqualTo(BurstCriteria.of(400));
		assertThat(small.burstCriteria()).isEqualTo(new BurstCriteria(100, Duration.ofSeconds(10),
				Duration.ofSeconds(20), Duration.ofSeconds(2), 30, Duration.ofSeconds(10)));
		assertThat(ToolOptions.USAGE).contains("--capacity=400").contains("--burst=30s --calm=60s");
	}

}
