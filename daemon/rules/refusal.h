/* Why a rule refused something: a code for programs, a sentence for a
 * person (naming the patient, the dose or the person concerned where that
 * helps), and whether it is a state conflict (409: the record is not in a
 * state that allows it) or a clinical rule (422).  Pure. */
#ifndef IDTSD_REFUSAL_H
#define IDTSD_REFUSAL_H

#include <stdarg.h>
#include <stdio.h>

#define REFUSAL_MESSAGE_MAX	512

struct refusal {
	const char	*code;
	char		 message[REFUSAL_MESSAGE_MAX];
	int		 conflict;	/* 409 rather than 422 */
};

/* Fill in a refusal with a sentence made as printf makes it; returns -1,
 * for "return refuse(...)". */
static inline int __attribute__((format(printf, 4, 5)))
refuse(struct refusal *why, int conflict, const char *code,
    const char *fmt, ...)
{
	va_list	ap;

	why->code = code;
	why->conflict = conflict;
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof why->message, fmt, ap);
	va_end(ap);
	return -1;
}

#endif
