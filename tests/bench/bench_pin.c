/* bench_pin: what one PIN check costs, alone.
 *
 * Hashes a PIN once with the daemon's own auth_pin_hash() (yescrypt at
 * libcrypt's default cost, as POST /v1/staff stores it), then times N
 * calls of auth_pin_verify() with the right PIN: the work the daemon does
 * for every sign-in and for every witness PIN, on its one thread.
 *
 *	bench_pin [-n N] [-l LABEL]
 *
 * It prints a line for people and "RESULT LABEL P50_MS P99_MS MEAN_MS
 * HASH_MS" for scripts (tests/bench/signoff.sh).  Build: against the
 * daemon's library, cc -std=c11 -O2 -Idaemon bench_pin.c bench_common.c
 * BUILD/libidtsd.a $(pkg-config --libs libcrypt libcrypto). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "bench_common.h"

static void
usage(void)
{
	fprintf(stderr, "usage: bench_pin [-n count] [-l label]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char	*label = "pin", *pin = "6161";
	char		 hash[AUTH_HASH_LEN], setting[32], *end;
	long		 n = 50, i;
	int64_t		*ns, t0, hash_ns, sum = 0;
	size_t		 len;
	int		 ch;

	while ((ch = getopt(argc, argv, "l:n:")) != -1) {
		switch (ch) {
		case 'l':
			label = optarg;
			break;
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || n < 1 || n > 100000)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if ((ns = calloc((size_t)n, sizeof *ns)) == NULL) {
		perror("bench_pin");
		return 1;
	}
	t0 = now_ns();
	if (auth_pin_hash(pin, hash) == -1) {
		fprintf(stderr, "bench_pin: auth_pin_hash failed\n");
		return 1;
	}
	hash_ns = now_ns() - t0;
	/* "$y$j9T$": the method and its cost, before the salt. */
	len = 0;
	for (i = 0; hash[len] != '\0' && i < 3; len++)
		if (hash[len] == '$')
			i++;
	snprintf(setting, sizeof setting, "%.*s", (int)len, hash);
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if (!auth_pin_verify(pin, hash)) {
			fprintf(stderr, "bench_pin: the right PIN did not "
			    "verify\n");
			return 1;
		}
		ns[i] = now_ns() - t0;
		sum += ns[i];
	}
	qsort(ns, (size_t)n, sizeof *ns, cmp_int64);
	printf("%s: %s hash %.2f ms; %ld verifications: p50 %.2f ms, p99 "
	    "%.2f ms, mean %.2f ms (at most %.0f a second on one core)\n",
	    label, setting, (double)hash_ns / 1e6, n, quantile_ms(ns, n, 0.50),
	    quantile_ms(ns, n, 0.99), (double)sum / (double)n / 1e6,
	    1e9 / ((double)sum / (double)n));
	printf("RESULT %s %.3f %.3f %.3f %.3f\n", label,
	    quantile_ms(ns, n, 0.50), quantile_ms(ns, n, 0.99),
	    (double)sum / (double)n / 1e6, (double)hash_ns / 1e6);
	free(ns);
	return 0;
}
