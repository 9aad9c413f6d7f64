package io.chatrelay.client.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies (web API and platform callbacks): a declared length over the limit
 * is answered with 413 before anything is read (and the connection is closed, so the rest
 * is not read either); a body without a declared length fails with
 * {@link PayloadTooLargeException} as soon as it passes the limit.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

	private final ToIntFunction<HttpServletRequest> limit;

	/**
	 * One limit for every request.
	 * @param maxBytes the largest body accepted
	 */
	public BodyLimitFilter(int maxBytes) {
		this((request) -> maxBytes);
	}

	/**
	 * A limit that depends on the request (for example on the platform a callback path
	 * belongs to).
	 * @param limit the largest body accepted for a request
	 */
	public BodyLimitFilter(ToIntFunction<HttpServletRequest> limit) {
		this.limit = limit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		int maxBytes = this.limit.applyAsInt(request);
		if (request.getContentLengthLong() > maxBytes) {
			response.setStatus(413);
			response.setHeader("Connection", "close");
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter()
				.write("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"Request body is larger than "
						+ maxBytes + " bytes\"}}");
			return;
		}
		chain.doFilter(new LimitedRequest(request, maxBytes), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final int maxBytes;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, int maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedStream(super.getInputStream(), this.maxBytes);
			}
			return this.stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final int maxBytes;

		private long read;

		LimitedStream(ServletInputStream delegate, int maxBytes) {
			this.delegate = delegate;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			this.read += n;
			if (this.read > this.maxBytes) {
				throw new PayloadTooLargeException(this.maxBytes);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
