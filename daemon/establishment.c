/* Loading establishment.key (its owner alone may read it: signing.c) and
 * each trusted establishment's public key from its PEM file.  A key that
 * cannot be loaded stops the daemon at start, never at the first
 * transfer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "establishment.h"
#include "signing.h"

/* The text of a small file, to be freed; NULL if it cannot be read. */
static char *
establishment_read(const char *path)
{
	FILE	*f;
	char	*text;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if ((text = malloc(8192)) != NULL) {
		n = fread(text, 1, 8191, f);
		text[n] = '\0';
		if (ferror(f) || n == 8191) {
			free(text);
			text = NULL;
		}
	}
	fclose(f);
	return text;
}

/* Load one trusted establishment's public key; -1 after saying why. */
static int
establishment_trust(const struct config_trusted *c, struct trusted *t)
{
	char	*pem;

	strcpy(t->code, c->code);
	strcpy(t->name, c->name);
	if ((pem = establishment_read(c->public_key)) != NULL)
		t->key = signing_public_read(pem);
	free(pem);
	if (t->key == NULL) {
		fprintf(stderr, "idtsd: establishment.trusted %s: %s is not "
		    "a readable Ed25519 public key in PEM\n", c->code,
		    c->public_key);
		return -1;
	}
	return 0;
}

/* This establishment's key and trust from the config, or NULL after
 * saying on stderr what could not be loaded. */
struct establishment *
establishment_open(const struct config *cfg)
{
	struct establishment	*e;
	const char		*why = NULL;
	int			 i;

	if ((e = calloc(1, sizeof *e)) == NULL) {
		fprintf(stderr, "idtsd: out of memory\n");
		return NULL;
	}
	e->code = cfg->establishment_code;
	e->name = cfg->establishment_name;
	e->trust.list = e->list;
	if (cfg->establishment_key[0] != '\0' && (e->key =
	    signing_key_load(cfg->establishment_key, &why)) == NULL) {
		fprintf(stderr, "idtsd: establishment.key %s: %s\n",
		    cfg->establishment_key, why);
		establishment_free(e);
		return NULL;
	}
	for (i = 0; i < cfg->ntrusted; i++, e->trust.n++)
		if (establishment_trust(&cfg->trusted[i], &e->list[i]) == -1) {
			establishment_free(e);
			return NULL;
		}
	return e;
}

void
establishment_free(struct establishment *e)
{
	size_t	i;

	if (e == NULL)
		return;
	signing_key_free(e->key);
	for (i = 0; i < e->trust.n; i++)
		signing_key_free(e->list[i].key);
	free(e);
}
