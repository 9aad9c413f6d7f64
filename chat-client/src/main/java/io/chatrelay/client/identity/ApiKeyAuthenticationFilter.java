package io.chatrelay.client.identity;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a tenant API key sent as {@code X-API-Key: crk_...} or
 * {@code Authorization: Bearer crk_...}. A request without a key passes through (a JWT or
 * nothing may follow); a wrong, expired or revoked key is a 401 at once; when Redis
 * cannot say, 503 so that the caller retries rather than being told its key is bad.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	static final String HEADER = "X-API-Key";

	private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

	private final ApiKeyCallers callers;

	private final JsonErrors errors;

	private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

	ApiKeyAuthenticationFilter(ApiKeyCallers callers, JsonErrors errors) {
		this.callers = callers;
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented == null) {
			chain.doFilter(request, response);
			return;
		}
		Optional<Caller> caller;
		try {
			caller = this.callers.authenticate(presented);
		}
		catch (JedisException ex) {
			log.warn("Cannot check an API key: Redis failed ({})", ex.getClass().getSimpleName());
			this.errors.write(response, 503, "UNAVAILABLE", "Cannot check the API key now; retry shortly");
			return;
		}
		if (caller.isEmpty()) {
			log.info("Rejected an API key on {} {}: unknown, wrong, expired or revoked", request.getMethod(),
					request.getRequestURI());
			this.errors.unauthorized(request, response,
					new BadCredentialsException("The API key is unknown, wrong, expired or revoked"));
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(new CallerAuthentication(caller.get()));
		SecurityContextHolder.setContext(context);
		// Kept in the request for the async dispatch that completes a web chat: this
		// filter runs once per request, not again on that dispatch.
		this.contexts.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

	static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader(HEADER);
		if (header != null && !header.isBlank()) {
			return header.trim();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = authorization.substring(7).trim();
			return ApiKeyToken.looksLikeKey(token) ? token : null;
		}
		return null;
	}

}
