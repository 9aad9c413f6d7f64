package io.chatrelay.client.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

	@Test
	void externalNamesRoundTrip() {
		for (Role role : Role.values()) {
			assertThat(Role.fromId(role.id())).contains(role);
		}
		assertThat(Role.TENANT_ADMIN.id()).isEqualTo("tenant-admin");
		assertThat(Role.TENANT_ADMIN.authority()).isEqualTo("ROLE_TENANT_ADMIN");
	}

	@Test
	void namesAreReadLeniently() {
		assertThat(Role.fromId(" Tenant_Admin ")).contains(Role.TENANT_ADMIN);
		assertThat(Role.fromId("OPERATOR")).contains(Role.OPERATOR);
	}

	@Test
	void unknownNamesAreNoRole() {
		assertThat(Role.fromId("root")).isEmpty();
		assertThat(Role.fromId(null)).isEmpty();
		assertThat(Role.fromId("")).isEmpty();
	}

	@Test
	void everyCallerIsAtLeastAUser() {
		Caller caller = new Caller("t", "u", java.util.Set.of(Role.OPERATOR), Caller.Source.TOKEN, null,
				java.util.Set.of());

		assertThat(caller.roles()).containsExactlyInAnyOrder(Role.USER, Role.OPERATOR);
		assertThat(caller.has(Role.TENANT_ADMIN)).isFalse();
	}

}
