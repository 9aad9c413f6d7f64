package io.chatrelay.kit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assertions;

/**
 * Renders an overlay with the {@code kubectl} on this machine ({@code kubectl kustomize},
 * Kustomize v5), the way an operator applies it.
 */
final class Kustomize {

	private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

	private Kustomize() {
	}

	/**
	 * Renders an overlay once per test run and reads the documents into typed models.
	 * @param overlay the overlay's directory
	 * @return its manifests
	 */
	static Manifests rendered(Path overlay) {
		return RENDERED.computeIfAbsent(overlay.toAbsolutePath().normalize(), (dir) -> Manifests.parse(render(dir)));
	}

	/**
	 * Renders an overlay; fails with kubectl's own words when it refuses. Without kubectl
	 * the calling test is skipped, except under CI, where that is a failure.
	 * @param overlay the overlay's directory
	 * @return the multi-document YAML
	 */
	static String render(Path overlay) {
		Path kubectl = ExternalCommand.require("kubectl",
				"deploy/k8s cannot be rendered (kubectl kustomize); " + "install kubectl 1.32 or newer (Kustomize v5)");
		ExternalCommand.Result result = ExternalCommand
			.run(List.of(kubectl.toString(), "kustomize", overlay.toString()), overlay, List.of());
		if (result.exitCode() != 0) {
			Assertions.fail("kubectl kustomize " + overlay + " refused it (exit " + result.exitCode() + "):\n"
					+ result.errors());
		}
		return result.output();
	}

	/**
	 * The overlays of the checked-in kit, each rendered.
	 * @return overlay name to manifests
	 */
	static Map<String, Manifests> kit() {
		return overlays(Repository.k8s());
	}

	static Map<String, Manifests> overlays(Path kit) {
		List<Path> overlays = Repository.overlays(kit);
		Assertions.assertFalse(overlays.isEmpty(), "no overlay under " + kit.resolve("overlays"));
		Map<String, Manifests> rendered = new java.util.TreeMap<>();
		for (Path overlay : overlays) {
			rendered.put(overlay.getFileName().toString(), rendered(overlay));
		}
		return rendered;
	}

}
