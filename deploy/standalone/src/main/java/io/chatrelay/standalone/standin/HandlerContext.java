package io.chatrelay.standalone.standin;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the endpoints of one stand-in share.
 *
 * @param settings the pacing
 * @param switchboard failures and request counts
 * @param json the JSON codec
 * @param tokens the Qianfan v1 access tokens issued
 */
record HandlerContext(StandInSettings settings, VendorSwitchboard switchboard, ObjectMapper json,
		QianfanTokens tokens) {
}
