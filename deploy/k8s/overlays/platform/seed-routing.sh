#!/bin/sh
# Publishes the routing document to Nacos through its Open API (deploy/nacos/README.md), unless the namespace
# already has one: the document in Nacos is the operators' (a degrade may be in force), this is only the seed.
# SEED_OVERWRITE=true publishes it anyway.
#
# Environment: NACOS_SERVER (http://host:8848), NACOS_NAMESPACE (namespace ID; empty for public),
# ROUTING_DOCUMENT (the file), NACOS_LOGIN_DIR (a directory with the files username and password; absent or
# empty for a Nacos without authentication).
set -eu

: "${NACOS_SERVER:?NACOS_SERVER is not set}"
: "${ROUTING_DOCUMENT:?ROUTING_DOCUMENT is not set}"
NACOS_NAMESPACE="${NACOS_NAMESPACE:-}"
NACOS_LOGIN_DIR="${NACOS_LOGIN_DIR:-/etc/nacos-credentials}"
DATA_ID=chat-relay-routing.yaml
GROUP=chat-relay
api="${NACOS_SERVER%/}/nacos/v1"
work="${TMPDIR:-/tmp}/routing-seed.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# Nacos may still be starting: retry connection failures and 5xx for about a minute.
call() {
	curl -sS --retry 20 --retry-delay 3 --retry-connrefused --max-time 20 "$@"
}

# The access token goes to a file and from there into the requests, never onto a command line.
: > "$work/token"
if [ -s "$NACOS_LOGIN_DIR/username" ]; then
	call -o "$work/login" -X POST "$api/auth/login" \
		--data-urlencode "username@$NACOS_LOGIN_DIR/username" \
		--data-urlencode "password@$NACOS_LOGIN_DIR/password" -w '%{http_code}' > "$work/status"
	if [ "$(cat "$work/status")" != 200 ]; then
		echo "Nacos login failed: HTTP $(cat "$work/status")" >&2
		exit 1
	fi
	sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' "$work/login" | tr -d '\n' > "$work/token"
	if [ ! -s "$work/token" ]; then
		echo "Nacos login answered without an accessToken" >&2
		exit 1
	fi
	echo "Logged in to $NACOS_SERVER"
else
	echo "No Nacos credentials in $NACOS_LOGIN_DIR: calling without a token"
fi

status=$(call -o "$work/current" -w '%{http_code}' -G "$api/cs/configs" \
	--data-urlencode "dataId=$DATA_ID" --data-urlencode "group=$GROUP" \
	--data-urlencode "tenant=$NACOS_NAMESPACE" --data-urlencode "accessToken@$work/token")
case "$status" in
	200)
		if [ "${SEED_OVERWRITE:-false}" != true ]; then
			echo "$DATA_ID (group $GROUP, namespace '${NACOS_NAMESPACE:-public}') exists: left as it is"
			exit 0
		fi
		;;
	404) ;;
	*)
		echo "Reading $DATA_ID failed: HTTP $status $(head -c 300 "$work/current")" >&2
		exit 1
		;;
esac

status=$(call -o "$work/published" -w '%{http_code}' -X POST "$api/cs/configs" \
	--data-urlencode "dataId=$DATA_ID" --data-urlencode "group=$GROUP" \
	--data-urlencode "tenant=$NACOS_NAMESPACE" --data-urlencode "type=yaml" \
	--data-urlencode "content@$ROUTING_DOCUMENT" --data-urlencode "accessToken@$work/token")
if [ "$status" != 200 ] || [ "$(cat "$work/published")" != true ]; then
	echo "Publishing $DATA_ID failed: HTTP $status $(head -c 300 "$work/published")" >&2
	exit 1
fi
echo "Published $DATA_ID (group $GROUP, namespace '${NACOS_NAMESPACE:-public}')"
