package io.chatrelay.provider.routing;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableTest {

	private final RoutingTable table = new RoutingTable(
			new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), RoutingDocumentTest.DEFAULTS),
			RoutingDocumentTest.DEFAULTS);

	@Test
	void startsWithTheLocalDefaults() {
		assertThat(this.table.current()).isEqualTo(RoutingDocumentTest.DEFAULTS);
	}

	@Test
	void appliesAValidDocument() {
		assertThat(this.table.publish("degrade: {enabled: true, target: ernie}")).isTrue();

		assertThat(this.table.current().degradeEnabled()).isTrue();
		assertThat(this.table.current().degradeTarget()).isEqualTo("ernie");
	}

	@Test
	void anInvalidDocumentLeavesThePreviousRoutingInForce() {
		this.table.publish("degrade: {enabled: true, target: ernie}");
		RoutingPolicy before = this.table.current();

		assertThat(this.table.publish("degrade: {enabled: false, target: gpt5}")).isFalse();
		assertThat(this.table.publish("primary: [")).isFalse();
		assertThat(this.table.publish("fallback: []")).isFalse();

		assertThat(this.table.current()).isSameAs(before);
	}

	@Test
	void removingTheDocumentBringsBackTheDefaults() {
		this.table.publish("primary: ernie");

		this.table.reset();

		assertThat(this.table.current()).isEqualTo(RoutingDocumentTest.DEFAULTS);
	}

}
