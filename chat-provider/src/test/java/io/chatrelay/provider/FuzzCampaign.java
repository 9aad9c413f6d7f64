package io.chatrelay.provider;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A Jazzer fuzz target of this module. Without {@code JAZZER_FUZZ} (every build) it runs
 * its seed corpus, {@code src/test/resources/<package>/<Class>Inputs/<method>/}, as
 * regression tests; with {@code JAZZER_FUZZ=1} ({@code -Pfuzz}) it fuzzes for
 * {@value #EXECUTIONS} executions, or {@value #MAX_DURATION} if that comes first
 * (docs/fuzzing.md).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxExecutions = FuzzCampaign.EXECUTIONS, maxDuration = FuzzCampaign.MAX_DURATION)
public @interface FuzzCampaign {

	/** Executions of one campaign: issue 13 asks for at least a million per target. */
	long EXECUTIONS = 1_000_000;

	/** The safety net: a campaign stops after this long even short of its executions. */
	String MAX_DURATION = "40m";

}
