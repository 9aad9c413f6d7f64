package io.chatrelay.standalone.system;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import io.chatrelay.standalone.infra.EmbeddedZooKeeper;
import io.chatrelay.standalone.infra.RoutingPublisher;

/**
 * The registry and config center a {@link SystemCluster} runs on, seen as the nodes and
 * the operators see it: the address and properties every node gets, and publishing a
 * document of group {@value RoutingPublisher#GROUP}. The nodes' code does not know which
 * one is behind Dubbo's abstractions; only the tests do.
 */
interface Registry extends AutoCloseable {

	/**
	 * The registry address of every node.
	 * @return {@code dubbo.registry.address}
	 */
	String address();

	/**
	 * Properties every node needs besides the address, e.g. credentials.
	 * @return Spring properties
	 */
	Map<String, String> nodeProperties();

	/**
	 * Publish a document as an operator would.
	 * @param key the key (Nacos data id), e.g. {@value RoutingPublisher#KEY}
	 * @param yaml the document
	 * @throws IOException if the registry refuses or is unreachable
	 */
	void publish(String key, String yaml) throws IOException;

	@Override
	void close();

	/**
	 * An embedded ZooKeeper, documents written where Dubbo's ZooKeeper config center
	 * reads them.
	 * @param dataDir its data directory
	 * @return the running registry
	 * @throws IOException if it cannot start
	 */
	static ZooKeeperRegistry zooKeeper(Path dataDir) throws IOException {
		return new ZooKeeperRegistry(EmbeddedZooKeeper.start(0, dataDir));
	}

	/**
	 * An embedded ZooKeeper.
	 *
	 * @param server the server
	 */
	record ZooKeeperRegistry(EmbeddedZooKeeper server) implements Registry {

		@Override
		public String address() {
			return this.server.registryAddress();
		}

		@Override
		public Map<String, String> nodeProperties() {
			return Map.of();
		}

		@Override
		public void publish(String key, String yaml) throws IOException {
			RoutingPublisher.publish(this.server.connectString(), key, yaml);
		}

		@Override
		public void close() {
			this.server.close();
		}

	}

	/**
	 * One namespace of a real Nacos with authentication: the nodes get the user and
	 * password as Dubbo's registry properties (never inside the address, which Dubbo
	 * logs), and documents go through the Open API.
	 *
	 * @param server the server (not closed with this view of it)
	 * @param namespace the namespace id, e.g. {@code prod}
	 */
	record NacosRegistry(NacosServer server, String namespace) implements Registry {

		@Override
		public String address() {
			return "nacos://" + this.server.hostPort() + "?namespace=" + this.namespace;
		}

		@Override
		public Map<String, String> nodeProperties() {
			return Map.of("dubbo.registry.username", NacosServer.USERNAME, "dubbo.registry.password",
					this.server.password());
		}

		@Override
		public void publish(String key, String yaml) throws IOException {
			this.server.openApi().publish(this.namespace, RoutingPublisher.GROUP, key, yaml);
		}

		/**
		 * Delete a document as an operator would.
		 * @param key the data id
		 * @throws IOException if Nacos refuses or is unreachable
		 */
		void delete(String key) throws IOException {
			this.server.openApi().delete(this.namespace, RoutingPublisher.GROUP, key);
		}

		@Override
		public void close() {
			// The server outlives a namespace's view of it.
		}

	}

}
