package io.chatrelay.provider.routing;

import io.chatrelay.api.ChatRoute;
import io.chatrelay.provider.model.ModelResponse;

/**
 * A model answer with who gave it.
 *
 * @param response the answer
 * @param vendor the vendor that answered
 * @param route whether it was the primary, a fallback or the degrade target
 */
public record RoutedReply(ModelResponse response, String vendor, ChatRoute route) {
}
