package io.chatrelay.client.system;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The liveness and readiness probes on the main port too, when the actuator has a port of
 * its own: the platforms' load balancers, the launcher and Kubernetes probe the port that
 * serves traffic, while metrics stay on the management port behind credentials. Only the
 * status is shown, never the components.
 */
@RestController
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class MainPortProbes {

	private final HealthEndpoint health;

	MainPortProbes(HealthEndpoint health) {
		this.health = health;
	}

	@GetMapping(path = "/actuator/health/liveness", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> liveness() {
		return probe("liveness");
	}

	@GetMapping(path = "/actuator/health/readiness", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> readiness() {
		return probe("readiness");
	}

	private ResponseEntity<Map<String, String>> probe(String group) {
		HealthComponent component = this.health.healthForPath(group);
		Status status = (component != null) ? component.getStatus() : Status.UNKNOWN;
		return ResponseEntity.status(Status.UP.equals(status) ? 200 : 503).body(Map.of("status", status.getCode()));
	}

}
