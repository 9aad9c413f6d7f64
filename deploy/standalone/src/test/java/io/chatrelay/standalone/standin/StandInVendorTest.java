package io.chatrelay.standalone.standin;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.chatrelay.standalone.standin.StandInHttp.json;
import static io.chatrelay.standalone.standin.StandInHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StandInVendorTest {

	@Test
	void listsEveryVendorOnceInOrder() {
		assertThat(StandInVendor.ids()).containsExactly("openai", "zhipu", "qianfan");
		assertThat(VendorStandIn.VENDORS).isEqualTo(StandInVendor.ids());
		assertThat(StandInVendor.of("zhipu")).isSameAs(StandInVendor.ZHIPU);
	}

	@Test
	void refusesAnUnknownVendorNamingTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> StandInVendor.of("gemini"))
			.withMessage("Unknown vendor 'gemini': use one of openai, zhipu, qianfan");
	}

	@Test
	void mountsEveryVendorsEndpointsAndNamesThemInTheNotFoundAnswer() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			HttpResponse<String> missing = post(standIn.qianfanV1BaseUrl() + "/nowhere", "{}");

			assertThat(missing.statusCode()).isEqualTo(404);
			assertThat(json(missing.body()).path("error").asText()).isEqualTo("No stand-in endpoint at /nowhere;"
					+ " try POST /v1/chat/completions, /api/paas/v4/chat/completions, /v2/chat/completions,"
					+ " /oauth/2.0/token, /rpc/2.0/ai_custom/v1/wenxinworkshop/chat/<endpoint>,"
					+ " or GET /_standin/failures");
			JsonNode listing = json(StandInHttp.get(standIn.failuresUrl()).body());
			assertThat(listing.fieldNames()).toIterable().containsExactlyElementsOf(StandInVendor.ids());
		}
	}

}
