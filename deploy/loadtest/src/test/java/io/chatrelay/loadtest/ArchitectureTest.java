package io.chatrelay.loadtest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rooms of the load tool: {@code traffic} (what is sent), {@code measure} (what is
 * timed and sampled), {@code standin} (the LLM and platform stand-ins), {@code report}
 * (results and profile summaries), {@code quota} (our Lua quotas against bucket4j), and
 * the package itself (the tool: options, scenarios, the run, the system under test),
 * which uses them all and which none of them uses.
 */
@AnalyzeClasses(packages = "io.chatrelay.loadtest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule packagesDoNotFormCycles = slices().matching("io.chatrelay.loadtest.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule roomsDoNotDependOnTheTool = noClasses().that()
		.resideInAPackage("io.chatrelay.loadtest.*..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.chatrelay.loadtest");

}
