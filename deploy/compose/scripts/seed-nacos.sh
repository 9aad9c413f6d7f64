#!/bin/sh
# Prepares Nacos for the compose deployment (compose.yaml, one-shot service "nacos-seed"), through its
# Open API, once Nacos is healthy. Every step can run again (each `docker-compose up` does):
#
#   1. the built-in admin "nacos" gets NACOS_ADMIN_PASSWORD (Nacos 2.4 and later start without an admin
#      password; once set, Nacos keeps the first one and this step only logs in);
#   2. the namespace NACOS_NAMESPACE (the environment's; the nodes name it in dubbo.registry.address);
#   3. the nodes' user NACOS_USERNAME / NACOS_PASSWORD, with read-write on that namespace only;
#   4. the routing document (dataId chat-relay-routing.yaml, group chat-relay, YAML) from
#      deploy/nacos/chat-relay-routing.yaml, only when the namespace has none: a document the operators
#      have changed since (degrade) is never overwritten;
#   5. a check that the nodes' user can log in and read that document.
#
# Passwords and tokens go to curl on its standard input or in files, never on its command line.
# Needs: curl, NACOS_ADMIN_PASSWORD, NACOS_NAMESPACE, NACOS_USERNAME, NACOS_PASSWORD.
set -eu

: "${NACOS_ADMIN_PASSWORD:?}" "${NACOS_NAMESPACE:?}" "${NACOS_USERNAME:?}" "${NACOS_PASSWORD:?}"
NACOS=${NACOS_URL:-http://nacos:8848/nacos}
ROUTING_FILE=${ROUTING_FILE:-/seed/chat-relay-routing.yaml}
NAMESPACE=$NACOS_NAMESPACE
ROLE=chatrelay-node
DATA_ID=chat-relay-routing.yaml
GROUP=chat-relay

if [ "$NAMESPACE" = public ]; then
	echo "nacos-seed: NACOS_NAMESPACE must be a namespace of its own (e.g. prod), not public" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# call METHOD PATH [curl options]: the answer's body goes to $work/body, its HTTP status to stdout.
call() {
	method=$1
	path=$2
	shift 2
	curl -sS -o "$work/body" -w '%{http_code}' -X "$method" "$NACOS$path" "$@"
}

# as TOKEN-FILE METHOD PATH [curl options]: a call with the access token in TOKEN-FILE, sent as form
# data (POST, PUT) or in the query (GET, with -G).
as() {
	token=$1
	method=$2
	path=$3
	shift 3
	if [ "$method" = GET ]; then
		call GET "$path" -G --data-urlencode "accessToken@$token" "$@"
	else
		call "$method" "$path" --data-urlencode "accessToken@$token" "$@"
	fi
}

fail() {
	echo "nacos-seed: $*" >&2
	if [ -s "$work/body" ]; then
		# Nacos echoes the request's parameters in some errors: not the access token.
		sed 's/accessToken=[^,;&]*/accessToken=***/g' "$work/body" >&2
		echo >&2
	fi
	exit 1
}

# login USER PASSWORD TOKEN-FILE
login() {
	status=$(printf '%s' "$2" | call POST /v1/auth/login --data-urlencode "username=$1" --data-urlencode "password@-")
	[ "$status" = 200 ] || return 1
	sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' "$work/body" | tr -d '\n' > "$3"
	[ -s "$3" ]
}

attempts=0
until [ "$(call GET /v1/console/health/readiness 2>/dev/null || true)" = 200 ]; do
	attempts=$((attempts + 1))
	[ "$attempts" -lt 60 ] || fail "Nacos at $NACOS is not ready"
	sleep 2
done

# 1. The admin password: accepted only while Nacos has none.
status=$(printf '%s' "$NACOS_ADMIN_PASSWORD" | call POST /v1/auth/users/admin --data-urlencode "password@-")
if [ "$status" = 200 ] && ! grep -q '"code":409' "$work/body"; then
	echo "nacos-seed: the admin password of user nacos is set"
fi
login nacos "$NACOS_ADMIN_PASSWORD" "$work/admin" \
	|| fail "cannot log in as nacos: NACOS_ADMIN_PASSWORD differs from the one Nacos was first given"

# 2. The namespace.
[ "$(as "$work/admin" GET /v1/console/namespaces)" = 200 ] || fail "cannot list the namespaces"
if grep -q "\"namespace\":\"$NAMESPACE\"" "$work/body"; then
	echo "nacos-seed: namespace $NAMESPACE exists"
else
	[ "$(as "$work/admin" POST /v1/console/namespaces --data-urlencode "customNamespaceId=$NAMESPACE" \
		--data-urlencode "namespaceName=$NAMESPACE" --data-urlencode "namespaceDesc=ChatRelay")" = 200 ] \
		|| fail "cannot create namespace $NAMESPACE"
	echo "nacos-seed: namespace $NAMESPACE created"
fi

# 3. The nodes' user, its role and the role's permission. The password follows NACOS_PASSWORD.
status=$(printf '%s' "$NACOS_PASSWORD" | as "$work/admin" POST /v1/auth/users \
	--data-urlencode "username=$NACOS_USERNAME" --data-urlencode "password@-")
if [ "$status" = 200 ]; then
	echo "nacos-seed: user $NACOS_USERNAME created"
else
	[ "$(printf '%s' "$NACOS_PASSWORD" | as "$work/admin" PUT /v1/auth/users \
		--data-urlencode "username=$NACOS_USERNAME" --data-urlencode "newPassword@-")" = 200 ] \
		|| fail "cannot create or update user $NACOS_USERNAME"
	echo "nacos-seed: user $NACOS_USERNAME exists, password set"
fi
[ "$(as "$work/admin" GET /v1/auth/roles --data-urlencode "username=$NACOS_USERNAME" \
	--data-urlencode search=accurate --data-urlencode pageNo=1 --data-urlencode pageSize=100)" = 200 ] \
	|| fail "cannot list the roles"
if ! grep -q "\"role\":\"$ROLE\"" "$work/body"; then
	[ "$(as "$work/admin" POST /v1/auth/roles --data-urlencode "role=$ROLE" \
		--data-urlencode "username=$NACOS_USERNAME")" = 200 ] || fail "cannot give $NACOS_USERNAME the role $ROLE"
	echo "nacos-seed: role $ROLE given to $NACOS_USERNAME"
fi
[ "$(as "$work/admin" GET /v1/auth/permissions --data-urlencode "role=$ROLE" \
	--data-urlencode search=accurate --data-urlencode pageNo=1 --data-urlencode pageSize=100)" = 200 ] \
	|| fail "cannot list the permissions"
if ! grep -q "\"resource\":\"$NAMESPACE:\*:\*\",\"action\":\"rw\"" "$work/body"; then
	[ "$(as "$work/admin" POST /v1/auth/permissions --data-urlencode "role=$ROLE" \
		--data-urlencode "resource=$NAMESPACE:*:*" --data-urlencode action=rw)" = 200 ] \
		|| fail "cannot give the role $ROLE read-write on namespace $NAMESPACE"
	echo "nacos-seed: role $ROLE may read and write namespace $NAMESPACE"
fi

# 4. The routing document, unless the namespace has one.
document() {
	as "$1" GET /v1/cs/configs --data-urlencode "dataId=$DATA_ID" --data-urlencode "group=$GROUP" \
		--data-urlencode "tenant=$NAMESPACE"
}
status=$(document "$work/admin")
case "$status" in
200)
	echo "nacos-seed: $DATA_ID exists in $NAMESPACE, left as it is"
	;;
404)
	[ "$(as "$work/admin" POST /v1/cs/configs --data-urlencode "dataId=$DATA_ID" --data-urlencode "group=$GROUP" \
		--data-urlencode "tenant=$NAMESPACE" --data-urlencode type=yaml \
		--data-urlencode "content@$ROUTING_FILE")" = 200 ] && grep -q true "$work/body" \
		|| fail "cannot publish $DATA_ID"
	echo "nacos-seed: $DATA_ID published to $NAMESPACE (group $GROUP)"
	;;
*)
	fail "cannot read $DATA_ID (HTTP $status)"
	;;
esac

# 5. What the nodes will do: log in as their user and read the document.
# (A document just published can read as missing for a moment: Nacos dumps it asynchronously.)
login "$NACOS_USERNAME" "$NACOS_PASSWORD" "$work/node" || fail "the nodes' user $NACOS_USERNAME cannot log in"
attempts=0
until [ "$(document "$work/node")" = 200 ]; do
	attempts=$((attempts + 1))
	[ "$attempts" -lt 10 ] || fail "the nodes' user $NACOS_USERNAME cannot read $DATA_ID in namespace $NAMESPACE"
	sleep 1
done
echo "nacos-seed: done; the nodes' user $NACOS_USERNAME reads $DATA_ID in namespace $NAMESPACE"
