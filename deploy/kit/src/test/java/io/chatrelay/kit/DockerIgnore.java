package io.chatrelay.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} as Docker applies it to a build context: each line a pattern
 * relative to the context ({@code *} and {@code ?} within a path segment, {@code **}
 * across any number of them, none included), {@code !} taking a path back, the last
 * matching line deciding. A pattern that matches a directory leaves out everything under
 * it.
 */
final class DockerIgnore {

	private final List<Rule> rules;

	private DockerIgnore(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	static DockerIgnore read(Path file) {
		return parse(Repository.read(file));
	}

	static DockerIgnore parse(String text) {
		List<Rule> rules = new ArrayList<>();
		for (String line : text.split("\\R")) {
			String pattern = line.strip();
			if (pattern.isEmpty() || pattern.startsWith("#")) {
				continue;
			}
			boolean exception = pattern.startsWith("!");
			if (exception) {
				pattern = pattern.substring(1).strip();
			}
			pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
			rules.add(new Rule(pattern, Pattern.compile(regex(pattern)), exception));
		}
		return new DockerIgnore(rules);
	}

	/**
	 * Whether a path of the build context is left out of it.
	 * @param path a path relative to the context, with {@code /}
	 * @return whether the image build cannot see it
	 */
	boolean excludes(String path) {
		boolean excluded = false;
		for (Rule rule : this.rules) {
			if (rule.matchesItselfOrAParent(path)) {
				excluded = !rule.exception();
			}
		}
		return excluded;
	}

	private static String regex(String pattern) {
		StringBuilder regex = new StringBuilder();
		int i = 0;
		while (i < pattern.length()) {
			char c = pattern.charAt(i);
			if (pattern.startsWith("**/", i)) {
				regex.append("(.*/)?");
				i += 3;
			}
			else if (pattern.startsWith("**", i)) {
				regex.append(".*");
				i += 2;
			}
			else if (c == '*') {
				regex.append("[^/]*");
				i++;
			}
			else if (c == '?') {
				regex.append("[^/]");
				i++;
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
				i++;
			}
		}
		return regex.toString();
	}

	private record Rule(String pattern, Pattern regex, boolean exception) {

		boolean matchesItselfOrAParent(String path) {
			String candidate = path;
			while (true) {
				if (this.regex.matcher(candidate).matches()) {
					return true;
				}
				int slash = candidate.lastIndexOf('/');
				if (slash < 0) {
					return false;
				}
				candidate = candidate.substring(0, slash);
			}
		}

	}

}
