package io.chatrelay.provider;

import java.util.Optional;
import java.util.Set;

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
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The provider's rooms and which way they may be entered (issue 12), checked on the main
 * classes:
 *
 * <pre>
 * rpc → routing → resilience → model (the port)
 *          routing → usage (token metering and its endpoint, which use no other room)
 * rpc → caller (who may call: TLS peer, tenant policy)
 *                                  ↑
 *          model.http (transport) ← model.compat (chat-completions adapter) ← model.&lt;vendor&gt;
 * rpc → filter (the word filter, which uses no other room)
 * system wires them all; nothing but system knows system, and nothing names a vendor.
 * </pre>
 *
 * A vendor package is any package under {@code model} other than {@code http} and
 * {@code compat}, so a new vendor is covered without editing this test.
 */
@AnalyzeClasses(packages = "io.chatrelay.provider", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	private static final String ROOT = "io.chatrelay.provider";

	private static final String MODEL = ROOT + ".model";

	/** The packages under {@code model} that are not vendors. */
	private static final Set<String> SHARED_MODEL_PACKAGES = Set.of("http", "compat");

	private static final DescribedPredicate<JavaClass> IN_A_VENDOR_PACKAGE = DescribedPredicate.describe(
			"reside in a vendor package (model.* but http and compat)", (javaClass) -> vendorOf(javaClass) != null);

	/**
	 * Wire types: classes whose simple name ends with {@code Wire}, and every class
	 * nested in one (the JSON records).
	 */
	private static final DescribedPredicate<JavaClass> WIRE_TYPES = DescribedPredicate
		.describe("are wire types (named *Wire, or nested in one)", ArchitectureTest::isWireType);

	@ArchTest
	static final ArchRule packagesAreFreeOfCycles = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule vendorPackagesDoNotKnowEachOther = slices().assignedFrom(new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String vendor = vendorOf(javaClass);
			return (vendor != null) ? SliceIdentifier.of("vendor " + vendor) : SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return "vendor packages";
		}

	}).should().notDependOnEachOther();

	@ArchTest
	static final ArchRule thePortTheTransportAndTheCompatAdapterNameNoVendor = noClasses().that()
		.resideInAnyPackage(MODEL, MODEL + ".http..", MODEL + ".compat..")
		.should()
		.dependOnClassesThat(IN_A_VENDOR_PACKAGE);

	@ArchTest
	static final ArchRule onlySystemKnowsSystem = noClasses().that()
		.resideOutsideOfPackage(ROOT + ".system..")
		.and()
		.doNotBelongToAnyOf(ProviderApplication.class)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".system..");

	@ArchTest
	static final ArchRule wireTypesAreNotPublic = classes().that(WIRE_TYPES).should().notBePublic();

	@ArchTest
	static final ArchRule wireTypesAreUsedOnlyInTheirPackage = classes().that(WIRE_TYPES)
		.should(beUsedOnlyInTheirOwnPackage());

	@ArchTest
	static final ArchRule layersAreEnteredFromAboveOnly = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.layer("Rpc")
		.definedBy(ROOT + ".rpc..")
		.layer("Filter")
		.definedBy(ROOT + ".filter..")
		.layer("Caller")
		.definedBy(ROOT + ".caller..")
		.layer("Routing")
		.definedBy(ROOT + ".routing..")
		.layer("Usage")
		.definedBy(ROOT + ".usage..")
		.layer("Resilience")
		.definedBy(ROOT + ".resilience..")
		.layer("Port")
		.definedBy(MODEL)
		.layer("Transport")
		.definedBy(MODEL + ".http..")
		.layer("Compat")
		.definedBy(MODEL + ".compat..")
		.layer("Vendors")
		.definedBy(IN_A_VENDOR_PACKAGE)
		.layer("System")
		.definedBy(ROOT + ".system..")
		.whereLayer("Rpc")
		.mayOnlyAccessLayers("Caller", "Filter", "Routing", "Resilience", "Port")
		.whereLayer("Caller")
		.mayNotAccessAnyLayer()
		.whereLayer("Filter")
		.mayNotAccessAnyLayer()
		.whereLayer("Routing")
		.mayOnlyAccessLayers("Resilience", "Port", "Usage")
		.whereLayer("Usage")
		.mayNotAccessAnyLayer()
		// Failures unwraps asynchronous failures with TransportFailures.
		.whereLayer("Resilience")
		.mayOnlyAccessLayers("Port", "Transport")
		.whereLayer("Port")
		.mayNotAccessAnyLayer()
		.whereLayer("Transport")
		.mayOnlyAccessLayers("Port")
		.whereLayer("Compat")
		.mayOnlyAccessLayers("Port", "Transport")
		.whereLayer("Vendors")
		.mayOnlyAccessLayers("Port", "Transport", "Compat")
		// Vendors contribute themselves to Spring; system finds them, never by name.
		.whereLayer("Vendors")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("System")
		.mayNotBeAccessedByAnyLayer();

	/**
	 * The vendor a class belongs to.
	 * @return the first package segment under {@code model}, or {@code null} outside a
	 * vendor package
	 */
	private static String vendorOf(JavaClass javaClass) {
		String pkg = javaClass.getPackageName();
		if (!pkg.startsWith(MODEL + ".")) {
			return null;
		}
		String first = pkg.substring(MODEL.length() + 1).split("\\.")[0];
		return SHARED_MODEL_PACKAGES.contains(first) ? null : first;
	}

	private static boolean isWireType(JavaClass javaClass) {
		Optional<JavaClass> current = Optional.of(javaClass);
		while (current.isPresent()) {
			if (current.get().getSimpleName().endsWith("Wire")) {
				return true;
			}
			current = current.get().getEnclosingClass();
		}
		return false;
	}

	private static ArchCondition<JavaClass> beUsedOnlyInTheirOwnPackage() {
		return new ArchCondition<>("be used only in their own package") {

			@Override
			public void check(JavaClass wireType, ConditionEvents events) {
				for (Dependency dependency : wireType.getDirectDependenciesToSelf()) {
					JavaClass user = dependency.getOriginClass();
					if (!user.getPackageName().equals(wireType.getPackageName())) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}

		};
	}

}
