/* Ed25519 through OpenSSL's EVP interface (EVP_PKEY_ED25519, signed with
 * EVP_DigestSign and no digest, as the algorithm hashes the message
 * itself).  A private key file is refused if its group or others may read
 * or write it, as ssh refuses one: a key others can read signs nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "digest.h"
#include "signing.h"

struct signing_key {
	EVP_PKEY	*pkey;
};

/* Wrap an EVP key, or NULL (and the key freed) if out of memory. */
static struct signing_key *
signing_wrap(EVP_PKEY *pkey)
{
	struct signing_key	*k;

	if (pkey == NULL)
		return NULL;
	if (EVP_PKEY_id(pkey) != EVP_PKEY_ED25519 ||
	    (k = malloc(sizeof *k)) == NULL) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	k->pkey = pkey;
	return k;
}

/* Load the Ed25519 private key of a PEM file its owner alone may read;
 * NULL with *why saying what is wrong otherwise. */
struct signing_key *
signing_key_load(const char *path, const char **why)
{
	struct stat		 sb;
	struct signing_key	*k;
	FILE			*f;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return NULL;
	}
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		*why = "readable or writable by its group or others "
		    "(chmod 600 it)";
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	k = signing_wrap(PEM_read_PrivateKey(f, NULL, NULL, NULL));
	fclose(f);
	if (k == NULL)
		*why = "not an Ed25519 private key in PEM";
	return k;
}

/* A public key from its PEM text (to check another's signature), or
 * NULL. */
struct signing_key *
signing_public_read(const char *pem)
{
	BIO		*bio;
	EVP_PKEY	*pkey;

	if ((bio = BIO_new_mem_buf(pem, -1)) == NULL)
		return NULL;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return signing_wrap(pkey);
}

void
signing_key_free(struct signing_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

/* Write a new private key to path, created 0600 and never over an
 * existing file.  Returns 0, or -1 with *why. */
int
signing_key_write(const char *path, const char **why)
{
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pkey = NULL;
	FILE		*f;
	int		 fd, ok;

	ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_keygen(ctx, &pkey) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		*why = "OpenSSL could not make an Ed25519 key";
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1 || fchmod(fd, 0600) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		*why = strerror(errno);
		if (fd != -1)
			close(fd);
		EVP_PKEY_free(pkey);
		return -1;
	}
	ok = PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
	    fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	EVP_PKEY_free(pkey);
	if (!ok) {
		*why = "could not write the key";
		unlink(path);
		return -1;
	}
	return 0;
}

/* Sign msg; the signature in lower-case hex.  Returns 0 or -1. */
int
signing_sign(const struct signing_key *k, const void *msg, size_t len,
    char sig_hex[SIGNING_SIG_HEX_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned char	 sig[SIGNING_SIG_LEN];
	size_t		 siglen = sizeof sig;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 &&
	    siglen == sizeof sig;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	digest_bytes_to_hex(sig, sizeof sig, sig_hex);
	return 0;
}

/* Whether sig_hex is k's signature of msg: 1 if it is, 0 if not. */
int
signing_verify(const struct signing_key *k, const void *msg, size_t len,
    const char *sig_hex)
{
	EVP_MD_CTX	*ctx;
	unsigned char	 sig[SIGNING_SIG_LEN];
	int		 ok;

	if (digest_hex_to_bytes(sig_hex, sig, sizeof sig) == -1 ||
	    (ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, sizeof sig, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The public key as PEM text, to be freed; NULL if OpenSSL fails. */
char *
signing_public_pem(const struct signing_key *k)
{
	BIO	*bio;
	char	*data, *out = NULL;
	long	 n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_PUBKEY(bio, k->pkey) == 1 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(bio);
	return out;
}

/* The public key's 32 raw bytes (for a JWK's "x"); 0, or -1. */
int
signing_public_raw(const struct signing_key *k,
    unsigned char raw[SIGNING_PUBLIC_LEN])
{
	size_t	len = SIGNING_PUBLIC_LEN;

	if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &len) != 1 ||
	    len != SIGNING_PUBLIC_LEN)
		return -1;
	return 0;
}
