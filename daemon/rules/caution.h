/* Cautions at the point of administration: what a nurse must have
 * considered before an opioid substitute is given (a patient unwell or
 * drowsy, a first dose, a tolerance that may be lost, a dose going up, a
 * day at court), and whether the nurse has confirmed each.  Pure: now is
 * passed in. */
#ifndef IDTSD_CAUTION_H
#define IDTSD_CAUTION_H

#include <stddef.h>
#include <stdint.h>

#include "dose.h"
#include "observation.h"
#include "patient.h"
#include "refusal.h"

enum caution_code {
	CAUTION_NEWS2_HIGH,		/* 5 or more, or a red 3, lately */
	CAUTION_NOT_ALERT,		/* the latest consciousness not A */
	CAUTION_FIRST_DOSE,		/* none given in custody yet */
	CAUTION_COMMUNITY_UNKNOWN,	/* and the last one outside unknown */
	CAUTION_LAST_DOSE_LONG_AGO,	/* longer ago than tolerance lasts */
	CAUTION_DOSE_INCREASED,		/* more than the last given */
	CAUTION_RETURNED_TODAY,		/* back from court today */
	CAUTION_NCODES,
};

#define CAUTION_MESSAGE_MAX	768	/* a drug name of 400 bytes fits */

/* From the config. */
struct caution_policy {
	int64_t	news2_ms;	/* how far back a high NEWS2 counts */
	int64_t	tolerance_ms;	/* how long tolerance is taken to last */
};

/* What the rule looks at, loaded by the caller. */
struct caution_facts {
	const struct dose		*dose;		/* to be given now */
	const char			*unit;		/* of its product */
	const struct patient		*patient;
	const struct observation	*obs;		/* newest first: every
							 * one in the window,
							 * and the latest */
	size_t				 nobs;
	const struct dose		*last_given;	/* in custody, any
							 * product, or NULL */
	const struct dose		*last_same;	/* of this product, or
							 * NULL */
	const struct dose_trip		*trip;	/* the last out by now */
};

struct caution {
	enum caution_code	code;
	char			message[CAUTION_MESSAGE_MAX];
};

/* A dose's cautions, in the order of enum caution_code. */
struct caution_list {
	struct caution	item[CAUTION_NCODES];
	int		n;
};

const char *caution_code_name(enum caution_code);
int	caution_code_parse(const char *, enum caution_code *);
void	caution_find(const struct caution_facts *,
	    const struct caution_policy *, int64_t now, struct caution_list *);
int	caution_check_confirmed(const struct caution_list *,
	    unsigned confirmed, int has_note, struct refusal *why);

#endif
