package io.chatrelay.client;

import java.util.List;
import java.util.regex.Pattern;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rooms of chat-client and the rules that keep them so (docs/architecture.md). A
 * message's path reads forward: channel (verify, parse) → intake (accept, ack) → inbox ‖
 * dispatch (read, order, answer, settle) → conversation → platform (the channel's send
 * API). Each rule below fails the build when a change breaks it.
 */
@AnalyzeClasses(packages = "io.chatrelay.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	/**
	 * The package whose classes every channel may share: WeCom's crypto, used by both
	 * flavours.
	 */
	private static final String SHARED_CHANNEL_PACKAGE = "io.chatrelay.client.channel.wecomcrypto..";

	/**
	 * A platform's wire types: the shapes of its JSON or XML and its API client. They
	 * never leave their package.
	 */
	private static final Pattern WIRE_TYPE = Pattern.compile(".*(Api|Message|Xml|Event|Events|Callback|Codec)");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.chatrelay.client.(**)")
		.should()
		.beFreeOfCycles()
		.as("no package of chat-client depends on itself through others");

	@ArchTest
	static final ArchRule platformsDoNotImportEachOther = slices().matching("io.chatrelay.client.channel.(*)..")
		.should()
		.notDependOnEachOther()
		.ignoreDependency(alwaysTrue(), resideInAPackage(SHARED_CHANNEL_PACKAGE))
		.as("no platform package imports another (shared WeCom crypto lives in channel.wecomcrypto)");

	@ArchTest
	static final ArchRule featuresDoNotImportSystem = noClasses().that()
		.resideOutsideOfPackages("io.chatrelay.client.system..", "io.chatrelay.client")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.chatrelay.client.system..")
		.as("feature packages do not import system/ (it only wires)");

	@ArchTest
	static final ArchRule wireTypesStayInTheirPackage = classes().that(wireTypes())
		.should(onlyBeUsedInTheirOwnPackage())
		.as("a platform's wire types (its *Api, *Message, *Xml, *Event(s), *Callback, *Codec) stay in its package");

	@ArchTest
	static final ArchRule messagesFlowForward = layeredArchitecture()
		.consideringOnlyDependenciesInAnyPackage("io.chatrelay.client..")
		.layer("System")
		.definedBy("io.chatrelay.client.system..")
		.layer("Channels")
		.definedBy("io.chatrelay.client.channel..")
		.layer("Intake")
		.definedBy("io.chatrelay.client.intake..")
		.layer("Dispatch")
		.definedBy("io.chatrelay.client.dispatch..")
		.layer("Inbox")
		.definedBy("io.chatrelay.client.inbox..")
		.layer("Conversation")
		.definedBy("io.chatrelay.client.conversation..")
		.layer("Platform")
		.definedBy("io.chatrelay.client.platform..")
		.layer("Identity")
		.definedBy("io.chatrelay.client.identity..")
		.layer("Quota")
		.definedBy("io.chatrelay.client.quota..")
		.layer("Infrastructure")
		.definedBy("io.chatrelay.client.redis..", "io.chatrelay.client.tenant..")
		.whereLayer("System")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("Channels")
		.mayOnlyBeAccessedByLayers("System")
		.whereLayer("Intake")
		.mayOnlyBeAccessedByLayers("Channels")
		.whereLayer("Dispatch")
		.mayOnlyBeAccessedByLayers("Channels", "Intake", "System")
		.whereLayer("Inbox")
		.mayOnlyBeAccessedByLayers("Channels", "Intake", "Dispatch")
		.whereLayer("Conversation")
		.mayOnlyBeAccessedByLayers("Channels", "Dispatch", "System")
		.whereLayer("Platform")
		.mayOnlyBeAccessedByLayers("Channels", "Dispatch")
		.whereLayer("Identity")
		.mayOnlyBeAccessedByLayers("Channels", "System")
		.whereLayer("Quota")
		.mayOnlyBeAccessedByLayers("Channels", "Dispatch", "Conversation", "Identity", "System")
		.as("channel → intake → inbox ‖ dispatch → conversation, platform; identity before the web channel, "
				+ "quota under conversation; nothing calls back into intake, nothing but system wires");

	private static DescribedPredicate<JavaClass> wireTypes() {
		return DescribedPredicate.describe("platform wire types", (javaClass) -> {
			JavaClass outermost = outermost(javaClass);
			return outermost.getPackageName().startsWith("io.chatrelay.client.channel.")
					&& WIRE_TYPE.matcher(outermost.getSimpleName()).matches();
		});
	}

	private static JavaClass outermost(JavaClass javaClass) {
		JavaClass current = javaClass;
		while (current.getEnclosingClass().isPresent()) {
			current = current.getEnclosingClass().get();
		}
		return current;
	}

	private static ArchCondition<JavaClass> onlyBeUsedInTheirOwnPackage() {
		return new ArchCondition<>("only be used in their own package") {

			@Override
			public void check(JavaClass wireType, ConditionEvents events) {
				List<Dependency> foreign = wireType.getDirectDependenciesToSelf()
					.stream()
					.filter((dependency) -> !dependency.getOriginClass()
						.getPackageName()
						.equals(wireType.getPackageName()))
					.toList();
				for (Dependency dependency : foreign) {
					events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
				}
			}

		};
	}

}
