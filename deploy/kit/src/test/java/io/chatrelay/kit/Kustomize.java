package io.chatrelay.kit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

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
		String kubectl = requireKubectl();
		try {
			Path out = Files.createTempFile("kustomize", ".yaml");
			Path err = Files.createTempFile("kustomize", ".err");
			try {
				Process process = new ProcessBuilder(kubectl, "kustomize", overlay.toString())
					.redirectOutput(out.toFile())
					.redirectError(err.toFile())
					.start();
				if (!process.waitFor(120, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					Assertions.fail("kubectl kustomize " + overlay + " did not finish within 120 s");
				}
				if (process.exitValue() != 0) {
					Assertions.fail("kubectl kustomize " + overlay + " refused it (exit " + process.exitValue() + "):\n"
							+ Files.readString(err, StandardCharsets.UTF_8));
				}
				return Files.readString(out, StandardCharsets.UTF_8);
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String requireKubectl() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				File candidate = new File(dir, "kubectl");
				if (candidate.isFile() && candidate.canExecute()) {
					return candidate.getAbsolutePath();
				}
			}
		}
		String reason = "kubectl is not on the PATH, so deploy/k8s cannot be rendered (kubectl kustomize); "
				+ "install kubectl 1.32 or newer (Kustomize v5)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			Assertions.fail(reason);
		}
		Assumptions.abort(reason);
		throw new IllegalStateException(reason);
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
