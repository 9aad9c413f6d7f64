package io.chatrelay.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the deployment files live, found from the module's working directory (surefire
 * runs in {@code deploy/kit}).
 */
final class Repository {

	private Repository() {
	}

	static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
			if (Files.isDirectory(candidate.resolve("deploy/nacos"))
					&& Files.isRegularFile(candidate.resolve("pom.xml"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("No repository root (with deploy/nacos) above " + dir);
	}

	static Path k8s() {
		return root().resolve("deploy/k8s");
	}

	/**
	 * The overlays of a kit: every directory under {@code overlays/} with a
	 * kustomization.
	 * @param kit the kit's directory ({@code deploy/k8s} or a copy of it)
	 * @return the overlay directories, sorted
	 */
	static List<Path> overlays(Path kit) {
		try (Stream<Path> dirs = Files.list(kit.resolve("overlays"))) {
			return dirs.filter((dir) -> Files.isRegularFile(dir.resolve("kustomization.yaml"))).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The compose files another part of the kit writes; none until it exists.
	 * @return {@code deploy/compose/*.yaml} and {@code *.yml}, sorted
	 */
	static List<Path> composeFiles() {
		Path dir = root().resolve("deploy/compose");
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((file) -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
				.filter(Files::isRegularFile)
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
