/* libFuzzer target: the body decoding of every route that takes a body,
 * with every mutation spent on the body.  An input is
 *
 *	byte 0		which route (fuzz_routes[], modulo their number)
 *	byte 1		which record its {id} names ('1' to '9': $<x>1..9)
 *	the rest	the JSON body, placeholders replaced (fuzz_ward.c)
 *
 * sent as application/json, signed in as someone whose roles the route
 * allows, through http_dispatch() as http.c sends it, and the answer
 * checked (fuzz_ward_check).  fuzz_router covers the rest of a request. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "fuzz_ward.h"
#include "http.h"
#include "request.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Each route with a body: its path ('#' stands for the record's digit)
 * and who calls it (NULL: no sign-in). */
static const struct {
	enum request_method	 method;
	const char		*path;
	const char		*username;
} fuzz_routes[] = {
	{ METHOD_POST, "/v1/sessions", NULL },
	{ METHOD_POST, "/v1/staff", "admin" },
	{ METHOD_PATCH, "/v1/staff/$s#", "admin" },
	{ METHOD_POST, "/v1/patients", "rob" },
	{ METHOD_POST, "/v1/patients/$p#/keyworker", "cara" },
	{ METHOD_POST, "/v1/patients/$p#/treatment-decision", "dev" },
	{ METHOD_POST, "/v1/patients/$p#/observation-plan", "nina" },
	{ METHOD_POST, "/v1/patients/$p#/flags", "rob" },
	{ METHOD_POST, "/v1/alerts/$a#/ack", "mo" },
	{ METHOD_POST, "/v1/products", "priya" },
	{ METHOD_POST, "/v1/prescriptions", "dev" },
	{ METHOD_POST, "/v1/prescriptions/$r#/stop", "dev" },
	{ METHOD_POST, "/v1/prescriptions/$r#/review", "dev" },
	{ METHOD_POST, "/v1/doses/$d#/administer", "nina" },
	{ METHOD_POST, "/v1/doses/$d#/refuse", "nina" },
	{ METHOD_POST, "/v1/doses/$d#/withhold", "nina" },
	{ METHOD_POST, "/v1/register/$x#/receipts", "priya" },
	{ METHOD_POST, "/v1/register/$x#/returns", "priya" },
	{ METHOD_POST, "/v1/register/$x#/destructions", "priya" },
	{ METHOD_POST, "/v1/register/$x#/checks", "nina" },
	{ METHOD_POST, "/v1/register/$x#/corrections", "priya" },
	{ METHOD_POST, "/v1/observations", "nina" },
	{ METHOD_POST, "/v1/movements", "rob" },
	{ METHOD_POST, "/v1/movements/$m#/depart", "rob" },
	{ METHOD_POST, "/v1/movements/$m#/return", "rob" },
	{ METHOD_POST, "/v1/movements/$m#/cancel", "rob" },
	{ METHOD_POST, "/v1/test/clock", NULL },
};
#define FUZZ_NROUTES	(sizeof fuzz_routes / sizeof fuzz_routes[0])

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_ward_open();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request	 r;
	struct evbuffer	*body;
	char		 tmpl[64], bearer[128], *path, *text, *hash;
	size_t		 k, len, pathlen;

	if (size < 2)
		return 0;
	k = data[0] % FUZZ_NROUTES;
	snprintf(tmpl, sizeof tmpl, "%s", fuzz_routes[k].path);
	if ((hash = strchr(tmpl, '#')) != NULL)
		*hash = data[1] >= '1' && data[1] <= '9' ? (char)data[1] : '1';
	path = fuzz_ward_expand((const uint8_t *)tmpl, strlen(tmpl), &pathlen);
	text = fuzz_ward_expand(data + 2, size - 2, &len);
	if ((body = evbuffer_new()) == NULL)
		abort();
	evbuffer_add(body, text, len);

	fuzz_ward_begin();
	memset(&r, 0, sizeof r);
	r.srv = &fuzz_ward.srv;
	r.method = fuzz_routes[k].method;
	r.path = path;
	r.status = 500;
	if (fuzz_routes[k].username != NULL) {
		snprintf(bearer, sizeof bearer, "Bearer %s",
		    fuzz_ward_token(fuzz_routes[k].username));
		r.authorization = bearer;
	}
	http_dispatch(&r, "application/json", body);
	fuzz_ward_check(&r, path);
	fuzz_ward_end();

	json_decref(r.body);
	json_decref(r.reply);
	free(r.text);
	evbuffer_free(body);
	free(text);
	free(path);
	return 0;
}
