package io.chatrelay.standalone.launcher;

/**
 * A node process died or did not become ready in time. The message carries the end of the
 * node's log, which usually says why.
 */
public final class NodeStartException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String nodeName;

	private final String logTail;

	NodeStartException(String nodeName, String reason, String logTail) {
		super(nodeName + " " + reason + "\n---- last lines of the " + nodeName + " log ----\n" + logTail
				+ "---- end of " + nodeName + " log ----");
		this.nodeName = nodeName;
		this.logTail = logTail;
	}

	/**
	 * The node that failed.
	 * @return its name
	 */
	public String nodeName() {
		return this.nodeName;
	}

	/**
	 * The last lines of the node's log when it failed.
	 * @return the log tail, lines ending in a newline
	 */
	public String logTail() {
		return this.logTail;
	}

}
