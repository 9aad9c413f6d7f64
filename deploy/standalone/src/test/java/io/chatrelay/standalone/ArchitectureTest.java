package io.chatrelay.standalone;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rooms of the standalone module: {@code infra} (ZooKeeper, Redis, the routing
 * document, loopback ports) is the floor, {@code standin} (the LLM vendor stand-in)
 * stands on it, and {@code launcher} starts both and the node JVMs. Nothing points back
 * up.
 */
@AnalyzeClasses(packages = "io.chatrelay.standalone", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule packagesDoNotFormCycles = slices().matching("io.chatrelay.standalone.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule standInAndInfraDoNotDependOnTheLauncher = noClasses().that()
		.resideInAnyPackage("io.chatrelay.standalone.standin..", "io.chatrelay.standalone.infra..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.chatrelay.standalone.launcher..");

	@ArchTest
	static final ArchRule infraDoesNotDependOnTheStandIn = noClasses().that()
		.resideInAPackage("io.chatrelay.standalone.infra..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.chatrelay.standalone.standin..");

}
