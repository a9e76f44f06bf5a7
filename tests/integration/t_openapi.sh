#!/bin/sh
# The API reference, docs/openapi.yaml, and the daemon say the same thing:
# it is valid OpenAPI 3.1 by a maintained validator (Redocly CLI, pinned
# in tests/tools and installed by scripts/install-deps, its recommended
# rules all errors); every route of the router's table
# (daemon/http/router.c) is in it with the same roles and sign-in, and
# every operation in it is a route; and the running daemon serves each
# documented operation (not 404 or 405), asking for a token exactly where
# the document says so.  IDTS_OPENAPI names another document to check.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DOC=${IDTS_OPENAPI:-$ROOT/docs/openapi.yaml}
ROUTER=$ROOT/daemon/http/router.c
REDOCLY=$ROOT/tests/tools/node_modules/.bin/redocly
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1

[ -x "$REDOCLY" ] || fail "no OpenAPI validator in tests/tools:" \
    "run scripts/install-deps (it runs npm ci there)"

# 1. Valid OpenAPI 3.1, with nothing the recommended rules warn of.
checks=$((checks + 1))
if ! "$REDOCLY" lint --config "$ROOT/tests/tools/redocly.yaml" "$DOC" \
    >"$T/lint" 2>&1; then
	grep -v '[╔║╚]' "$T/lint" >&2
	fail "$DOC is not valid OpenAPI 3.1"
fi
grep -q '^openapi: 3\.1\.' "$DOC" || fail "$DOC is not OpenAPI 3.1"
"$REDOCLY" bundle "$DOC" --ext json -o "$T/openapi.json" >"$T/bundle" 2>&1 ||
    fail "cannot bundle $DOC: $(cat "$T/bundle")"

# Each operation as "METHOD /path/{} roles public", path parameters
# written {} and roles in the router's order, sorted.
ROLE_ORDER="nurse competent prescriber pharmacist reception carat manager admin"
order_roles() {
	awk -v order="$ROLE_ORDER" '{
		n = split(order, o, " "); out = ""
		for (i = 1; i <= n; i++)
			for (j = 3; j < NF; j++)
				if ($j == o[i]) out = out (out == "" ? "" : ",") o[i]
		print $1, $2, (out == "" ? "-" : out), $NF
	}'
}

# The document: x-roles, and public where security is [].
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    select(.key | IN("get","put","post","delete","options","head","patch",
    "trace")) |
    "\(.key | ascii_upcase) \($p) \((.value["x-roles"] // ["?"]) |
    join(" ")) \(if .value.security == [] then "public" else "signed-in"
    end)"' "$T/openapi.json" | sed 's/{[^}/]*}/{}/g' | order_roles |
    sort >"$T/documented"

# The router: its table, one route a line ({ METHOD_X, "path", handler,
# roles, flags }), ROLE_X to x.
ENTRY='.*{ *METHOD_\([A-Z]*\), *"\([^"]*\)", *[a-z_]*, *\([^,]*\), *\([^}]*\)}'
sed -n '/^static const struct route routes\[\]/,/^};/p' "$ROUTER" |
    tr -d '\n\t' | sed 's/},/}\n/g' | sed -n "s/$ENTRY.*/\1;\2;\3;\4/p" |
    while IFS=';' read -r method path roles flags; do
	roles=$(echo "$roles" | tr -d ' ' | tr '|' ' ' | sed 's/ROLE_//g' |
	    tr '[:upper:]' '[:lower:]')
	[ "$roles" = 0 ] && roles=""
	case "$flags" in
	*ROUTE_PUBLIC*) public=public ;;
	*) public=signed-in ;;
	esac
	echo "$method $path $roles $public"
done | order_roles | sort >"$T/served"

# 2. The extraction itself must have found the routes, or 3 proves nothing.
checks=$((checks + 1))
nserved=$(wc -l <"$T/served")
ntable=$(grep -c '{ METHOD_' "$ROUTER")
if [ "$nserved" -lt 50 ] || [ "$nserved" -ne "$ntable" ]; then
	fail "read $nserved routes of the $ntable in $ROUTER's table"
fi

# 3. The same operations, roles and sign-in in both.
checks=$((checks + 1))
if ! diff "$T/served" "$T/documented" >"$T/diff"; then
	echo "< served by daemon/http/router.c, > documented in $DOC:" >&2
	cat "$T/diff" >&2
	fail "docs/openapi.yaml and the router's table differ"
fi

# 4. The running daemon serves every documented operation: without a token
# a signed-in one is 401, a public one anything but 401, and never 404 or
# 405.  A path nobody serves is 404, so the check can tell.
init_admin boss 424242
start_daemon --test-clock
ID=00000000-0000-4000-8000-000000000000
api GET /no-such-thing
expect_status 404 not_found
while read -r method path roles public; do
	p=$(echo "$path" | sed "s|{}|$ID|g; s|^/v1||")
	body=""
	case "$method" in POST|PATCH) body='{}' ;; esac
	api "$method" "$p" "$body"
	checks=$((checks + 1))
	case "$STATUS" in
	404|405|curl-failed)
		fail "$method $path is documented but answers $STATUS: $BODY_OUT" ;;
	401)
		[ "$public" = signed-in ] ||
		    fail "$method $path is public but asks for a token" ;;
	*)
		[ "$public" = public ] ||
		    fail "$method $path answers $STATUS without a token" ;;
	esac
done <"$T/documented"
pass
