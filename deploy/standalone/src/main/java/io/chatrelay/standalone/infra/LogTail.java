package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The last lines of a log file, for error messages that say why a process did not start
 * (a node JVM, {@code redis-server}). Reads at most the last {@value #MAX_BYTES} bytes.
 */
public final class LogTail {

	private static final int MAX_BYTES = 64 * 1024;

	private LogTail() {
	}

	/**
	 * The last lines of a file.
	 * @param file the log file
	 * @param lines how many lines at most
	 * @return the lines, each ending in a newline; empty if the file does not exist, or a
	 * note saying why it could not be read
	 */
	public static String of(Path file, int lines) {
		if (!Files.isRegularFile(file)) {
			return "";
		}
		try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
			long length = in.length();
			long from = Math.max(0, length - MAX_BYTES);
			byte[] bytes = new byte[(int) (length - from)];
			in.seek(from);
			in.readFully(bytes);
			List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R", -1));
			if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
				all = all.subList(0, all.size() - 1);
			}
			return all.subList(Math.max(0, all.size() - lines), all.size())
				.stream()
				.map((line) -> line + "\n")
				.collect(Collectors.joining());
		}
		catch (IOException ex) {
			return "(could not read " + file + ": " + ex + ")\n";
		}
	}

}
