#!/bin/sh
# The mutual-TLS files of the compose deployment (compose.yaml, one-shot service "certs"), made on the
# first run and kept afterwards. Calls between clients and providers are mutual TLS (docs/security.md);
# two certificate authorities keep the roles apart:
#
#   provider CA  issues the providers' certificate; the clients trust it (and nothing else) for providers
#   client CA    issues one certificate per tenant, naming it as urn:chatrelay:tenant:<id>; the providers
#                trust it for callers
#
# A client's key therefore cannot pose as a provider to another tenant's clients. Each node's volume gets
# node.pem, node.key (mode 600, owned by the nodes' user) and trust.pem; the CA keys stay in their own
# volume (/ca), which no node mounts.
#
# On later runs a certificate is kept while it is valid for 30 more days and names the right tenant;
# otherwise it is issued again (restart the nodes then: they read their files at start-up). Certificates
# these CAs did not issue (your own, copied into the volumes) are never touched.
#
# Needs: openssl (in the node images' base image), TENANT_A_ID, TENANT_B_ID; NODE_UID (10001) owns the files.
set -eu

: "${TENANT_A_ID:?}" "${TENANT_B_ID:?}"
NODE_UID=${NODE_UID:-10001}
CA_DIR=${CA_DIR:-/ca}
OUT=${OUT_DIR:-/tls}
CA_DAYS=3650
LEAF_DAYS=825
RENEW_SECONDS=2592000

umask 077

new_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# ca NAME SUBJECT: a self-signed CA, made once.
ca() {
	if [ -s "$CA_DIR/$1.key" ] && [ -s "$CA_DIR/$1.pem" ]; then
		return 0
	fi
	new_key "$CA_DIR/$1.key"
	openssl req -x509 -new -sha256 -key "$CA_DIR/$1.key" -subj "/CN=$2" -days "$CA_DAYS" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$CA_DIR/$1.pem"
	chmod 644 "$CA_DIR/$1.pem"
	echo "certs: created the $2"
}

# leaf DIR CA TRUST-CA COMMON-NAME SUBJECT-ALT-NAME EXTENDED-KEY-USAGE
leaf() {
	dir=$OUT/$1
	mkdir -p "$dir"
	if [ ! -s "$dir/trust.pem" ]; then
		cp "$CA_DIR/$3.pem" "$dir/trust.pem"
	fi
	if [ -s "$dir/node.pem" ]; then
		if ! openssl verify -CAfile "$CA_DIR/$2.pem" "$dir/node.pem" >/dev/null 2>&1; then
			echo "certs: $1 has a certificate of another CA, left as it is"
			finish "$dir"
			return 0
		fi
		if openssl x509 -noout -checkend "$RENEW_SECONDS" -in "$dir/node.pem" >/dev/null \
			&& openssl x509 -noout -ext subjectAltName -in "$dir/node.pem" | grep -qE "$5(,|\$)"; then
			echo "certs: $1 is valid, kept"
			finish "$dir"
			return 0
		fi
	fi
	new_key "$dir/node.key"
	printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
		"extendedKeyUsage=$6" "subjectAltName=$5" > "$CA_DIR/leaf.ext"
	openssl req -new -sha256 -key "$dir/node.key" -subj "/CN=$4" \
		| openssl x509 -req -sha256 -CA "$CA_DIR/$2.pem" -CAkey "$CA_DIR/$2.key" \
			-set_serial "0x$(openssl rand -hex 16)" -days "$LEAF_DAYS" -extfile "$CA_DIR/leaf.ext" \
			-out "$dir/node.pem" 2>/dev/null
	rm -f "$CA_DIR/leaf.ext"
	echo "certs: issued $1 ($5)"
	finish "$dir"
}

# The nodes run as NODE_UID: they read their own key, nobody else's.
finish() {
	chown "$NODE_UID:$NODE_UID" "$1/node.pem" "$1/node.key" "$1/trust.pem"
	chmod 600 "$1/node.key"
	chmod 644 "$1/node.pem" "$1/trust.pem"
}

ca provider-ca "ChatRelay provider CA"
ca client-ca "ChatRelay client CA"
leaf provider provider-ca client-ca chat-provider "DNS:chat-provider" serverAuth
leaf client-a client-ca provider-ca "chat-client $TENANT_A_ID" "URI:urn:chatrelay:tenant:$TENANT_A_ID" clientAuth
leaf client-b client-ca provider-ca "chat-client $TENANT_B_ID" "URI:urn:chatrelay:tenant:$TENANT_B_ID" clientAuth
