package io.chatrelay.standalone.standin;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The vendors the stand-in serves, in order: the one list of them. An entry gives the
 * vendor's name (in {@code /_standin/failures/<vendor>}, in {@code STANDIN_FAIL_<VENDOR>}
 * and in request counts) and the endpoints that serve its wire format. Adding a vendor is
 * one handler class (a {@link VendorHandler}) and one entry here: the server mounts it,
 * the switchboard counts it and can make it fail, and the launcher's help lists it.
 */
public enum StandInVendor {

	/** OpenAI Chat Completions: {@code POST /v1/chat/completions}. */
	OPENAI("openai", "OpenAI", (context) -> List.of(new OpenAiChatHandler(context))),

	/** Zhipu GLM v4: {@code POST /api/paas/v4/chat/completions}. */
	ZHIPU("zhipu", "Zhipu", (context) -> List.of(new ZhipuChatHandler(context))),

	/**
	 * Baidu Qianfan (ERNIE): v2 {@code POST /v2/chat/completions}; v1
	 * {@code POST /oauth/2.0/token} and
	 * {@code POST /rpc/2.0/ai_custom/v1/wenxinworkshop/chat/<endpoint>}.
	 */
	QIANFAN("qianfan", "Qianfan", (context) -> List.of(new QianfanV2ChatHandler(context),
			new QianfanTokenHandler(context), new QianfanV1ChatHandler(context)));

	private final String id;

	private final String displayName;

	private final Function<HandlerContext, List<StandInEndpoint>> endpoints;

	StandInVendor(String id, String displayName, Function<HandlerContext, List<StandInEndpoint>> endpoints) {
		this.id = id;
		this.displayName = displayName;
		this.endpoints = endpoints;
	}

	/**
	 * The vendor's name in URLs, environment variables and counts.
	 * @return e.g. {@code openai}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The vendor's name for people.
	 * @return e.g. {@code OpenAI}
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Every vendor's name, in order.
	 * @return e.g. {@code [openai, zhipu, qianfan]}
	 */
	public static List<String> ids() {
		return Arrays.stream(values()).map(StandInVendor::id).toList();
	}

	/**
	 * Every vendor's name for people, in order.
	 * @return e.g. {@code [OpenAI, Zhipu, Qianfan]}
	 */
	public static List<String> displayNames() {
		return Arrays.stream(values()).map(StandInVendor::displayName).toList();
	}

	/**
	 * The vendor of a name.
	 * @param id e.g. {@code zhipu}
	 * @return the vendor
	 * @throws IllegalArgumentException naming the known vendors
	 */
	public static StandInVendor of(String id) {
		for (StandInVendor vendor : values()) {
			if (vendor.id.equals(id)) {
				return vendor;
			}
		}
		throw new IllegalArgumentException("Unknown vendor '" + id + "': use one of " + String.join(", ", ids()));
	}

	/**
	 * New endpoints for this vendor, to mount on one server.
	 * @param context what the endpoints of one stand-in share
	 * @return the endpoints
	 */
	List<StandInEndpoint> endpoints(HandlerContext context) {
		return this.endpoints.apply(context);
	}

}
