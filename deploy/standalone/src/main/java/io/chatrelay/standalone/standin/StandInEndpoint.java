package io.chatrelay.standalone.standin;

import com.sun.net.httpserver.HttpHandler;

/**
 * An HTTP endpoint a {@link StandInVendor} serves, mounted on the stand-in's port.
 */
interface StandInEndpoint extends HttpHandler {

	/**
	 * Where the endpoint is mounted (the JDK server hands it every path under this one).
	 * @return e.g. {@code /v1/chat/completions}
	 */
	String path();

	/**
	 * How the stand-in's 404 answer names the endpoint.
	 * @return the path, with a placeholder where any name is served
	 */
	default String shownPath() {
		return path();
	}

}
