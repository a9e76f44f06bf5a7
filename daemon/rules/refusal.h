/* Why a rule refused something: a code for programs, a sentence for a
 * person, and whether it is a state conflict (409: the record is not in a
 * state that allows it) or a clinical rule (422).  Pure. */
#ifndef IDTSD_REFUSAL_H
#define IDTSD_REFUSAL_H

struct refusal {
	const char	*code;
	const char	*message;
	int		 conflict;	/* 409 rather than 422 */
};

/* Fill in a refusal; returns -1, for "return refuse(...)". */
static inline int
refuse(struct refusal *why, int conflict, const char *code,
    const char *message)
{
	why->code = code;
	why->message = message;
	why->conflict = conflict;
	return -1;
}

#endif
