package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the routing document (DESIGN.md section 4: key {@value #KEY}, group
 * {@value #GROUP}) to a ZooKeeper used as the Dubbo config center, the way an operator
 * flips degrade: every provider applies a change within a second.
 *
 * <p>
 * Dubbo 3.3.5's {@code ZookeeperDynamicConfiguration} (a
 * {@code TreePathDynamicConfiguration}) keeps a document at {@code <root>/<group>/<key>},
 * where the root is {@code "/" + namespace + base-path} = {@code /dubbo/config} by
 * default ({@code ConfigCenterConfig} namespace {@code dubbo},
 * {@code dubbo.config-center.base-path} {@code /config}), and it writes the text as UTF-8
 * into a persistent znode, creating the parents. So the document lives at
 * {@value #ZNODE}.
 *
 * <p>
 * From a shell, with the standalone system running:
 * {@code java -jar deploy/standalone/target/chat-relay-standalone.jar publish-routing <file.yaml|-> [zkAddress]}
 * (or
 * {@code java -cp <that jar> -Dloader.main=io.chatrelay.standalone.infra.RoutingPublisher
 * org.springframework.boot.loader.launch.PropertiesLauncher <file.yaml|-> [zkAddress]}).
 */
public final class RoutingPublisher {

	/** The config-center key of the routing document. */
	public static final String KEY = "chat-relay-routing.yaml";

	/** The config-center group of the routing document. */
	public static final String GROUP = "chat-relay";

	/** Dubbo's ZooKeeper config-center root with the default namespace and base path. */
	public static final String ROOT = "/dubbo/config";

	/** Where the routing document lives in ZooKeeper. */
	public static final String ZNODE = ROOT + "/" + GROUP + "/" + KEY;

	/** The config-center key of the providers' word lists (sensitive-word filter). */
	public static final String WORDS_KEY = "chat-relay-words.yaml";

	private static final int SESSION_TIMEOUT_MS = 10_000;

	private static final long CONNECT_TIMEOUT_SECONDS = 10;

	private static final Logger log = LoggerFactory.getLogger(RoutingPublisher.class);

	private RoutingPublisher() {
	}

	/**
	 * Publish {@code <file.yaml|-> [zkAddress]}; {@code -} reads standard input, the
	 * address defaults to {@code 127.0.0.1:$ZK_PORT} (2181). Exits with 1 on failure, 2
	 * on bad arguments.
	 * @param args the file and, optionally, the ZooKeeper address
	 */
	public static void main(String[] args) {
		int status = run(args);
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * Publish the word lists: {@code <file.yaml|-> [zkAddress]} as for {@link #main}, to
	 * key {@value #WORDS_KEY}.
	 * @param args the file and, optionally, the ZooKeeper address
	 */
	public static void publishWords(String[] args) {
		int status = run(WORDS_KEY, args);
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * What {@link #main} does, without exiting.
	 * @param args the file and, optionally, the ZooKeeper address
	 * @return 0 when published (or for {@code --help}), 1 on failure, 2 on bad arguments
	 */
	static int run(String[] args) {
		return run(KEY, args);
	}

	/**
	 * Publish a document of group {@value #GROUP} from the command line, without exiting.
	 * @param key the config-center key
	 * @param args the file and, optionally, the ZooKeeper address
	 * @return 0 when published (or for {@code --help}), 1 on failure, 2 on bad arguments
	 */
	static int run(String key, String[] args) {
		String command = KEY.equals(key) ? "publish-routing" : "publish-words";
		String znode = ROOT + "/" + GROUP + "/" + key;
		String usage = "Usage: " + command
				+ " <file.yaml|-> [address, default $REGISTRY or 127.0.0.1:$ZK_PORT (2181)]\n"
				+ "Publishes the document to ZooKeeper at " + znode + " (Dubbo config center, key " + key + ", group "
				+ GROUP + "), or for nacos://host:port[?namespace=<id>] through the Nacos Open API (data id " + key
				+ ", group " + GROUP + ") as $REGISTRY_USERNAME with $REGISTRY_PASSWORD.";
		if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
			log.info("{}", usage);
			return 0;
		}
		if (args.length < 1 || args.length > 2) {
			log.error("{}", usage);
			return 2;
		}
		String address = (args.length > 1) ? args[1] : defaultAddress(System.getenv());
		try {
			String yaml = "-".equals(args[0]) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
					: Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
			String where = publishTo(address, key, yaml, System.getenv());
			log.info("Published {} ({} bytes) to {}; providers apply it within a second", args[0],
					yaml.getBytes(StandardCharsets.UTF_8).length, where);
			return 0;
		}
		catch (NoSuchFileException ex) {
			log.error("Could not publish {}: no such file {}", key, ex.getFile());
			return 1;
		}
		catch (IOException | IllegalArgumentException ex) {
			log.error("Could not publish {}: {}", key, ex.getMessage());
			return 1;
		}
	}

	/**
	 * Where {@code publish-routing} publishes without an address argument:
	 * {@code REGISTRY} when the system runs on an external registry, else the embedded
	 * ZooKeeper at {@code 127.0.0.1:$ZK_PORT} (2181).
	 * @param env the environment
	 * @return the address
	 */
	static String defaultAddress(Map<String, String> env) {
		String registry = env.get("REGISTRY");
		if (registry != null && !registry.isBlank()) {
			return registry.trim();
		}
		String zkPort = env.get("ZK_PORT");
		return Ports.LOOPBACK + ":" + ((zkPort != null && !zkPort.isBlank()) ? zkPort.trim() : "2181");
	}

	/**
	 * Publish a document of group {@value #GROUP} to ZooKeeper or, for a {@code nacos://}
	 * address, through Nacos's Open API into the address's namespace as
	 * {@code REGISTRY_USERNAME} with {@code REGISTRY_PASSWORD} from the environment.
	 * @param address {@code host:port} or {@code zookeeper://…} of ZooKeeper, or
	 * {@code nacos://host:port[?namespace=<id>]}
	 * @param key the key (Nacos data id)
	 * @param yaml the document
	 * @param env the environment with the Nacos credentials
	 * @return where it went, for the log
	 * @throws IOException if the registry is unreachable or refuses the write
	 */
	public static String publishTo(String address, String key, String yaml, Map<String, String> env)
			throws IOException {
		if (address.startsWith("nacos://")) {
			String namespace = NacosOpenApi.namespace(address);
			new NacosOpenApi(address, env.get("REGISTRY_USERNAME"), env.get("REGISTRY_PASSWORD")).publish(namespace,
					GROUP, key, yaml);
			return "Nacos " + NacosOpenApi.hostPort(address) + " (data id " + key + ", group " + GROUP + ", namespace "
					+ (namespace.isEmpty() ? "public" : namespace) + ")";
		}
		publish(address, key, yaml);
		return ROOT + "/" + GROUP + "/" + key + " at ZooKeeper " + connectString(address);
	}

	/**
	 * Create or replace the routing document.
	 * @param connectString {@code host:port} of ZooKeeper (a {@code zookeeper://} prefix
	 * is allowed)
	 * @param yaml the document
	 * @throws IOException if ZooKeeper is unreachable or refuses the write
	 * @throws IllegalArgumentException if the document is blank
	 */
	public static void publish(String connectString, String yaml) throws IOException {
		publish(connectString, KEY, yaml);
	}

	/**
	 * Create or replace any document of the {@value #GROUP} group (the quota document,
	 * for example): the same path scheme as the routing document.
	 * @param connectString {@code host:port} of ZooKeeper (a {@code zookeeper://} prefix
	 * is allowed)
	 * @param key the config-center key, e.g. {@code chat-relay-quotas.yaml}
	 * @param yaml the document
	 * @throws IOException if ZooKeeper is unreachable or refuses the write
	 * @throws IllegalArgumentException if the document is blank
	 */
	public static void publish(String connectString, String key, String yaml) throws IOException {
		if (yaml == null || yaml.isBlank()) {
			throw new IllegalArgumentException("The document " + key + " is empty");
		}
		String znode = ROOT + "/" + GROUP + "/" + key;
		byte[] data = yaml.getBytes(StandardCharsets.UTF_8);
		try (ZooKeeper zooKeeper = connect(connectString)) {
			createParents(zooKeeper, znode);
			try {
				zooKeeper.setData(znode, data, -1);
			}
			catch (KeeperException.NoNodeException ex) {
				try {
					zooKeeper.create(znode, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
				}
				catch (KeeperException.NodeExistsException raced) {
					zooKeeper.setData(znode, data, -1);
				}
			}
		}
		catch (KeeperException ex) {
			throw new IOException("ZooKeeper refused to write " + znode + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while publishing " + znode);
		}
	}

	/**
	 * Read the routing document back.
	 * @param connectString {@code host:port} of ZooKeeper
	 * @return the document, or empty if none was published
	 * @throws IOException if ZooKeeper is unreachable
	 */
	public static Optional<String> read(String connectString) throws IOException {
		try (ZooKeeper zooKeeper = connect(connectString)) {
			return Optional.of(new String(zooKeeper.getData(ZNODE, false, null), StandardCharsets.UTF_8));
		}
		catch (KeeperException.NoNodeException ex) {
			return Optional.empty();
		}
		catch (KeeperException ex) {
			throw new IOException("ZooKeeper refused to read " + ZNODE + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while reading " + ZNODE);
		}
	}

	/** {@code host:port} from {@code host:port} or {@code zookeeper://host:port?…}. */
	static String connectString(String address) {
		String connect = address.trim();
		if (connect.startsWith("zookeeper://")) {
			connect = connect.substring("zookeeper://".length());
		}
		int query = connect.indexOf('?');
		connect = (query >= 0) ? connect.substring(0, query) : connect;
		return connect.endsWith("/") ? connect.substring(0, connect.length() - 1) : connect;
	}

	private static ZooKeeper connect(String address) throws IOException {
		String connect = connectString(address);
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper zooKeeper = new ZooKeeper(connect, SESSION_TIMEOUT_MS, (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		});
		try {
			if (!connected.await(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				zooKeeper.close();
				throw new IOException("No ZooKeeper answered at " + connect + " within " + CONNECT_TIMEOUT_SECONDS
						+ " s: is the standalone system running (ZK_PORT)?");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeQuietly(zooKeeper);
			throw new InterruptedIOException("Interrupted while connecting to ZooKeeper at " + connect);
		}
		return zooKeeper;
	}

	private static void createParents(ZooKeeper zooKeeper, String path) throws KeeperException, InterruptedException {
		int slash = path.indexOf('/', 1);
		while (slash > 0) {
			String parent = path.substring(0, slash);
			if (zooKeeper.exists(parent, false) == null) {
				try {
					zooKeeper.create(parent, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
				}
				catch (KeeperException.NodeExistsException ex) {
					// Created by someone else meanwhile: fine.
				}
			}
			slash = path.indexOf('/', slash + 1);
		}
	}

	private static void closeQuietly(ZooKeeper zooKeeper) {
		try {
			zooKeeper.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
