package io.chatrelay.client.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's API keys, for its {@code tenant-admin}s (and operators):
 * {@code POST /api/v1/admin/keys} creates one and shows its text once, {@code GET} lists
 * them (never a secret), {@code DELETE /{id}} revokes, {@code POST /{id}/rotate} gives a
 * new secret. Each change writes one audit line. A tenant admin cannot mint an operator
 * key.
 */
@RestController
@RequestMapping("/api/v1/admin/keys")
class ApiKeyController {

	private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:@-]{1,64}");

	private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");

	private static final Duration MAX_VALIDITY = Duration.ofDays(3650);

	private final ApiKeyStore store;

	private final Clock clock;

	ApiKeyController(ApiKeyStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<Object> create(@RequestBody NewKeyRequest request) {
		Caller caller = Caller.current();
		List<String> problems = new ArrayList<>();
		ApiKeyStore.KeySpec spec = request.spec(problems);
		if (spec != null && spec.roles().contains(Role.OPERATOR) && !caller.has(Role.OPERATOR)) {
			problems.add("only an operator may create a key with the operator role");
		}
		if (!problems.isEmpty()) {
			return error(HttpStatus.BAD_REQUEST, "BAD_REQUEST", String.join("; ", problems));
		}
		ApiKeyStore.Issued issued = this.store.create(spec, caller.userId());
		Audit.record("apikey.create", caller, issued.key().id(),
				"name=" + quote(spec.name()) + " roles=" + roleIds(issued.key().roles()) + " models="
						+ issued.key().models() + " expires=" + issued.key().expires());
		return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedKey(view(issued.key()), issued.text()));
	}

	@GetMapping
	List<KeyView> list() {
		return this.store.list().stream().map(this::view).toList();
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Object> revoke(@PathVariable String id) {
		Caller caller = Caller.current();
		return this.store.revoke(id).<ResponseEntity<Object>>map((key) -> {
			Audit.record("apikey.revoke", caller, id, "name=" + quote(key.name()));
			return ResponseEntity.ok(view(key));
		}).orElseGet(() -> error(HttpStatus.NOT_FOUND, "NOT_FOUND", "No API key " + id));
	}

	@PostMapping("/{id}/rotate")
	ResponseEntity<Object> rotate(@PathVariable String id) {
		Caller caller = Caller.current();
		return this.store.rotate(id, caller.userId()).<ResponseEntity<Object>>map((issued) -> {
			Audit.record("apikey.rotate", caller, id, "name=" + quote(issued.key().name()));
			return ResponseEntity.ok(new IssuedKey(view(issued.key()), issued.text()));
		}).orElseGet(() -> error(HttpStatus.NOT_FOUND, "NOT_FOUND", "No active API key " + id));
	}

	private KeyView view(ApiKey key) {
		Instant now = this.clock.instant();
		return new KeyView(key.id(), key.name(), roleIds(key.roles()), List.copyOf(key.models()),
				key.requestsPerMinute(), key.tokensPerDay(), key.created(), key.expires(), key.state(now),
				key.createdBy());
	}

	private static List<String> roleIds(Set<Role> roles) {
		return roles.stream().sorted().map(Role::id).toList();
	}

	private static String quote(String text) {
		return "\"" + text.replace("\"", "'") + "\"";
	}

	private static ResponseEntity<Object> error(HttpStatus status, String code, String message) {
		return ResponseEntity.status(status).body(Map.of("error", Map.of("code", code, "message", message)));
	}

	/**
	 * The body of a create request.
	 *
	 * @param name what the key is for (1–64 letters, digits, space and {@code ._:@-})
	 * @param roles role names, default {@code [user]}
	 * @param models allowed models, default all
	 * @param requestsPerMinute the key's own request limit, 0 for none
	 * @param tokensPerDay the key's own token budget, 0 for none
	 * @param validDays days until it expires, absent for never
	 */
	record NewKeyRequest(String name, List<String> roles, List<String> models, Long requestsPerMinute,
			Long tokensPerDay, Integer validDays) {

		ApiKeyStore.KeySpec spec(List<String> problems) {
			if (this.name == null || !NAME.matcher(this.name).matches()) {
				problems.add("name must be 1 to 64 letters, digits, spaces or . _ : @ -");
			}
			Set<Role> granted = EnumSet.of(Role.USER);
			for (String role : (this.roles != null) ? this.roles : List.<String>of()) {
				Role.fromId(role)
					.ifPresentOrElse(granted::add,
							() -> problems.add("unknown role " + quote(role) + " (user, tenant-admin, operator)"));
			}
			List<String> allowed = (this.models != null) ? this.models : List.of();
			for (String model : allowed) {
				if (model == null || !MODEL.matcher(model).matches()) {
					problems.add("model names are 1 to 64 of A-Z a-z 0-9 . _ : / -");
				}
			}
			long rpm = (this.requestsPerMinute != null) ? this.requestsPerMinute : 0;
			long tpd = (this.tokensPerDay != null) ? this.tokensPerDay : 0;
			if (rpm < 0 || tpd < 0) {
				problems.add("limits must not be negative");
			}
			Duration validFor = (this.validDays != null) ? Duration.ofDays(this.validDays) : null;
			if (validFor != null
					&& (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_VALIDITY) > 0)) {
				problems.add("validDays must be between 1 and 3650");
			}
			return problems.isEmpty()
					? new ApiKeyStore.KeySpec(this.name, granted, Set.copyOf(allowed), rpm, tpd, validFor) : null;
		}

	}

	/**
	 * A key as administrators see it: never its secret or hash.
	 *
	 * @param id the key id
	 * @param name its name
	 * @param roles its roles
	 * @param models its allowed models (empty: all)
	 * @param requestsPerMinute its request limit
	 * @param tokensPerDay its token budget
	 * @param created when created
	 * @param expires when it expires, or null
	 * @param state {@code active}, {@code expired} or {@code revoked}
	 * @param createdBy who created or last rotated it
	 */
	record KeyView(String id, String name, List<String> roles, List<String> models, long requestsPerMinute,
			long tokensPerDay, Instant created, Instant expires, String state, String createdBy) {
	}

	/**
	 * A key just issued: the only time its text is shown.
	 *
	 * @param key the key
	 * @param apiKey the text to send as {@code X-API-Key} or a bearer token
	 */
	record IssuedKey(KeyView key, String apiKey) {
	}

}
