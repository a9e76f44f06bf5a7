/* The PIN work a request has asked of the pool, and what it answered:
 * the router runs a request again once its work is done, and a verdict is
 * found here by the PIN and the hash it was computed for. */
#ifndef IDTSD_REQUEST_PIN_H
#define IDTSD_REQUEST_PIN_H

#include "pin_pool.h"

#define REQUEST_MAX_PINS	4	/* a witness, old and new PIN, spare */

struct request;

struct request_pins {
	struct pin_job	job[REQUEST_MAX_PINS];
	int		n;
	int		urgent;		/* signed in, or at a terminal */
};

int	request_pins_wanted(const struct request *);
int	request_pins_new(struct request_pins *, struct pin_job *out[]);
void	request_pins_wipe(struct request_pins *);

#endif
