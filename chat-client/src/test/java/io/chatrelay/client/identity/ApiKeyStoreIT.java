package io.chatrelay.client.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import io.chatrelay.client.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key store on a real redis-server, with two stores standing for two client nodes.
 */
class ApiKeyStoreIT {

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));

	private ApiKeyStore node1;

	private ApiKeyStore node2;

	@BeforeAll
	static void startRedis() throws IOException {
		redis = TestRedis.start();
		jedis = redis.client();
	}

	@AfterAll
	static void stopRedis() throws IOException {
		jedis.close();
		redis.close();
	}

	@BeforeEach
	void stores() {
		jedis.flushAll();
		this.node1 = new ApiKeyStore(jedis, "cr:{t1}:", Duration.ofMillis(500), this.clock);
		this.node2 = new ApiKeyStore(jedis, "cr:{t1}:", Duration.ofMillis(500), this.clock);
	}

	@Test
	void aKeyCreatedOnOneNodeAuthenticatesOnAnotherWithItsGrants() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "key:bootstrap");

		ApiKey key = this.node2.authenticate(issued.text()).orElseThrow();

		assertThat(key.id()).isEqualTo(issued.key().id());
		assertThat(key.roles()).containsExactlyInAnyOrder(Role.USER, Role.TENANT_ADMIN);
		assertThat(key.models()).containsExactly("gpt-4o-mini");
		assertThat(key.requestsPerMinute()).isEqualTo(60);
		assertThat(key.createdBy()).isEqualTo("key:bootstrap");
	}

	@Test
	void onlyTheHashIsStored() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");
		String secret = issued.text().substring(issued.text().indexOf('.') + 1);

		assertThat(jedis.hgetAll("cr:{t1}:apikey:" + issued.key().id()).values()).noneMatch((v) -> v.contains(secret));
	}

	@Test
	void aWrongSecretOrAnUnknownIdIsRefused() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");

		assertThat(this.node1.authenticate("crk_" + issued.key().id() + "." + ApiKeyToken.newSecret())).isEmpty();
		assertThat(this.node1.authenticate(ApiKeyToken.generate().text())).isEmpty();
		assertThat(this.node1.authenticate("not a key")).isEmpty();
	}

	@Test
	void aRevocationHoldsOnEveryNodeOnceItsCacheTimeHasPassed() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");
		assertThat(this.node2.authenticate(issued.text())).isPresent();

		this.node1.revoke(issued.key().id());

		assertThat(this.node1.authenticate(issued.text())).as("the revoking node at once").isEmpty();
		this.clock.advance(Duration.ofMillis(500));
		assertThat(this.node2.authenticate(issued.text())).as("another node after the cache time").isEmpty();
		assertThat(this.node1.list()).singleElement().satisfies((key) -> assertThat(key.revoked()).isTrue());
	}

	@Test
	void anotherNodeMayTrustARevokedKeyOnlyWithinTheCacheTime() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");
		assertThat(this.node2.authenticate(issued.text())).isPresent();

		this.node1.revoke(issued.key().id());
		this.clock.advance(Duration.ofMillis(499));

		assertThat(this.node2.authenticate(issued.text())).as("cached for under a second").isPresent();
	}

	@Test
	void rotationReplacesTheSecret() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");

		ApiKeyStore.Issued rotated = this.node1.rotate(issued.key().id(), "admin-2").orElseThrow();

		assertThat(rotated.key().id()).isEqualTo(issued.key().id());
		assertThat(this.node1.authenticate(rotated.text())).isPresent();
		assertThat(this.node1.authenticate(issued.text())).isEmpty();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.node2.authenticate(issued.text())).isEmpty();
	}

	@Test
	void anExpiredKeyIsRefusedAndShownAsExpired() {
		ApiKeyStore.Issued issued = this.node1.create(spec(Duration.ofDays(1)), "admin");
		assertThat(this.node1.authenticate(issued.text())).isPresent();

		this.clock.advance(Duration.ofDays(1));

		assertThat(this.node1.authenticate(issued.text())).isEmpty();
		assertThat(this.node1.list().get(0).state(this.clock.instant())).isEqualTo("expired");
		assertThat(this.node1.rotate(issued.key().id(), "admin")).as("an expired key is not revived").isEmpty();
	}

	@Test
	void keysOfAnotherTenantAreInvisible() {
		ApiKeyStore.Issued issued = this.node1.create(spec(null), "admin");
		ApiKeyStore otherTenant = new ApiKeyStore(jedis, "cr:{t2}:", Duration.ZERO, this.clock);

		assertThat(otherTenant.authenticate(issued.text())).isEmpty();
		assertThat(otherTenant.list()).isEmpty();
		assertThat(otherTenant.revoke(issued.key().id())).isEmpty();
	}

	private static ApiKeyStore.KeySpec spec(Duration validFor) {
		return new ApiKeyStore.KeySpec("reporting", Set.of(Role.USER, Role.TENANT_ADMIN), Set.of("gpt-4o-mini"), 60, 0,
				validFor);
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
