package io.chatrelay.standalone.standin;

/**
 * Why a stand-in refuses a request; each vendor decides the status and the body.
 */
enum Rejection {

	BAD_REQUEST(400), MALFORMED_JSON(400), UNAUTHORIZED(401), TOKEN_EXPIRED(401), NOT_FOUND(404),
	METHOD_NOT_ALLOWED(405), RATE_LIMITED(429), SERVER_ERROR(500), UNAVAILABLE(503);

	private final int status;

	Rejection(int status) {
		this.status = status;
	}

	int status() {
		return this.status;
	}

}
