package io.chatrelay.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Dockerfile read the way Docker reads it, enough to check it: comment lines dropped,
 * lines ending in {@code \} joined with the next, instructions split into build stages at
 * each {@code FROM}. The default escape character only, and no heredocs.
 */
final class Dockerfile {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String name;

	private final List<Instruction> instructions;

	private Dockerfile(String name, List<Instruction> instructions) {
		this.name = name;
		this.instructions = List.copyOf(instructions);
	}

	static Dockerfile read(Path file) {
		return parse(Repository.root().relativize(file.toAbsolutePath()).toString(), Repository.read(file));
	}

	static Dockerfile parse(String name, String text) {
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder pending = null;
		int start = 0;
		String[] lines = text.split("\\R", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || trimmed.isEmpty()) {
				// comments and blank lines, also inside a continued instruction
				continue;
			}
			if (pending == null) {
				pending = new StringBuilder();
				start = i + 1;
			}
			boolean continued = trimmed.endsWith("\\");
			pending.append(continued ? line.substring(0, line.lastIndexOf('\\')) : line);
			if (!continued) {
				instructions.add(Instruction.of(start, pending.toString()));
				pending = null;
			}
		}
		if (pending != null) {
			instructions.add(Instruction.of(start, pending.toString()));
		}
		return new Dockerfile(name, instructions);
	}

	String name() {
		return this.name;
	}

	List<Instruction> instructions() {
		return this.instructions;
	}

	List<Stage> stages() {
		List<Stage> stages = new ArrayList<>();
		List<Instruction> current = null;
		Instruction from = null;
		for (Instruction instruction : this.instructions) {
			if (instruction.is("FROM")) {
				if (from != null) {
					stages.add(Stage.of(from, current));
				}
				from = instruction;
				current = new ArrayList<>();
			}
			else if (current != null) {
				current.add(instruction);
			}
		}
		if (from != null) {
			stages.add(Stage.of(from, current));
		}
		return stages;
	}

	Stage finalStage() {
		List<Stage> stages = stages();
		if (stages.isEmpty()) {
			throw new AssertionError(this.name + " has no FROM");
		}
		return stages.get(stages.size() - 1);
	}

	/**
	 * One instruction, continuation lines joined.
	 *
	 * @param line the line it starts on
	 * @param keyword the instruction, upper case
	 * @param arguments the rest, trimmed
	 */
	record Instruction(int line, String keyword, String arguments) {

		static Instruction of(int line, String text) {
			String trimmed = text.strip();
			int space = trimmed.indexOf(' ');
			int tab = trimmed.indexOf('\t');
			int end = (space < 0) ? tab : (tab < 0) ? space : Math.min(space, tab);
			if (end < 0) {
				return new Instruction(line, trimmed.toUpperCase(Locale.ROOT), "");
			}
			return new Instruction(line, trimmed.substring(0, end).toUpperCase(Locale.ROOT),
					trimmed.substring(end).strip());
		}

		boolean is(String keyword) {
			return this.keyword.equals(keyword);
		}

		/**
		 * The arguments with runs of white space made one space.
		 * @return the normalised arguments
		 */
		String text() {
			return this.arguments.replaceAll("\\s+", " ");
		}

		/**
		 * The arguments of the exec form ({@code ["a", "b"]}), for RUN, CMD, ENTRYPOINT
		 * and a HEALTHCHECK's CMD. Docker runs anything that is not a valid JSON array of
		 * strings through a shell, silently: here that is an error.
		 * @param json the text after the keyword (or after {@code CMD})
		 * @return the strings, or empty when the text is not meant as JSON
		 */
		Optional<List<String>> execForm(String json) {
			if (!json.startsWith("[")) {
				return Optional.empty();
			}
			try {
				JsonNode array = JSON.readTree(json);
				List<String> items = new ArrayList<>();
				for (JsonNode item : array) {
					if (!item.isTextual()) {
						throw new AssertionError("line " + this.line + ": " + item + " is not a string");
					}
					items.add(item.asText());
				}
				return Optional.of(items);
			}
			catch (JsonProcessingException ex) {
				throw new AssertionError("line " + this.line + ": " + this.keyword
						+ " looks like the exec form but is not JSON (Docker would run it through a shell): "
						+ ex.getOriginalMessage());
			}
		}

	}

	/**
	 * A build stage.
	 *
	 * @param from its FROM instruction
	 * @param image the base image or stage it starts from
	 * @param alias its {@code AS} name, or empty
	 * @param instructions its instructions after FROM
	 */
	record Stage(Instruction from, String image, String alias, List<Instruction> instructions) {

		static Stage of(Instruction from, List<Instruction> instructions) {
			List<String> words = new ArrayList<>(List.of(from.text().split(" ")));
			words.removeIf((word) -> word.startsWith("--"));
			String alias = (words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")) ? words.get(2) : "";
			return new Stage(from, words.get(0), alias, List.copyOf(instructions));
		}

		List<Instruction> all(String keyword) {
			return this.instructions.stream().filter((instruction) -> instruction.is(keyword)).toList();
		}

		Optional<Instruction> last(String keyword) {
			List<Instruction> all = all(keyword);
			return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
		}

	}

}
