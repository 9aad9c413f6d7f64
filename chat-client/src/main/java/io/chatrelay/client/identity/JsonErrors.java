package io.chatrelay.client.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 answers in the web API's error shape
 * ({@code {"error":{"code","message"}}}), with the {@code WWW-Authenticate} challenge a
 * client needs. The message says what to send, never why a credential failed in detail.
 */
final class JsonErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String challenge;

	JsonErrors(String challenge) {
		this.challenge = challenge;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		unauthorized(request, response, exception);
	}

	void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, this.challenge);
		write(response, 401, "UNAUTHORIZED",
				"A valid credential is required: Authorization: Bearer <token or API key>, or X-API-Key");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
			throws IOException {
		write(response, 403, "FORBIDDEN", "This credential may not do this");
	}

	void write(HttpServletResponse response, int status, String code, String message) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		JSON.writeValue(response.getOutputStream(), Map.of("error", Map.of("code", code, "message", message)));
	}

}
