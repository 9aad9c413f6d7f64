package io.chatrelay.client.intake;

import java.io.IOException;

import io.chatrelay.client.inbox.InboxPressure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses platform callbacks ({@code POST /callback/<channel>}) while the node is past
 * its capacity, as many as {@link InboxPressure#refuse()} says, first of all: 503 with
 * {@code Retry-After}, before the body is read, its signature checked or anything stored.
 * Refusing must cost far less than accepting, or a node past its capacity spends on
 * refusals what it needs to answer (at 600 msg/s offered to a node that answers about
 * 375, a refusal after the signature and the JSON took a third of the traffic's CPU and
 * throughput fell to 260 msg/s). {@link MessageIntake} checks again for entry points
 * without this filter.
 */
public class OverloadFilter extends OncePerRequestFilter {

	private final InboxPressure pressure;

	private final MessageIntake intake;

	/**
	 * Create the filter.
	 * @param pressure whether the node is past its capacity
	 * @param intake counts the refusals
	 */
	public OverloadFilter(InboxPressure pressure, MessageIntake intake) {
		this.pressure = pressure;
		this.intake = intake;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"POST".equals(request.getMethod()) || !this.pressure.refuse()) {
			chain.doFilter(request, response);
			return;
		}
		this.intake.count(channelOf(request.getRequestURI()), "refused");
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(this.pressure.retryAfter().toSeconds()));
		response.setContentLength(0);
	}

	/** The channel of a callback path, {@code /callback/<channel>[/...]}. */
	static String channelOf(String uri) {
		int start = uri.indexOf("/callback/");
		if (start < 0) {
			return "unknown";
		}
		String rest = uri.substring(start + "/callback/".length());
		int end = rest.indexOf('/');
		String channel = (end < 0) ? rest : rest.substring(0, end);
		return channel.isEmpty() ? "unknown" : channel;
	}

}
