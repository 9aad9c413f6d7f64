package io.chatrelay.client.intake;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.web.bind.annotation.RestController;

/**
 * A controller receiving a chat platform's webhooks: its failures are answered by
 * {@link CallbackExceptionHandler} (bare statuses, one WARN line), not with the web
 * channel's JSON errors.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@RestController
public @interface PlatformCallback {

}
