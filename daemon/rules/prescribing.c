/* The checks a new prescription passes before it is written: the
 * product's limits, which nothing overrides, then for the first opioid
 * substitute of a custody the comparison with what the patient is known
 * to tolerate, which a prescriber may override with a reason. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "prescribing.h"

/* What each override code means, said to the nurse at the first dose. */
static const struct {
	const char	*code;
	const char	*text;
} prescribing_reasons[] = {
	{ "above_community_dose", "the first day's dose is above the "
	    "community dose confirmed at arrival" },
	{ "community_dose_not_comparable", "the community dose confirmed at "
	    "arrival could not be compared with this product (another drug, "
	    "or a unit the product's strength does not give)" },
	{ "above_first_dose_ceiling", "no community dose is known, and the "
	    "first day's dose is above the first-dose ceiling" },
	{ "no_first_dose_ceiling", "no community dose is known, and no "
	    "first-dose ceiling this product can be compared with is "
	    "configured" },
};

/* The sentence for an override code, or NULL if it is none. */
const char *
prescribing_reason_text(const char *code)
{
	size_t	i;

	for (i = 0; i < sizeof prescribing_reasons /
	    sizeof prescribing_reasons[0]; i++)
		if (strcmp(code, prescribing_reasons[i].code) == 0)
			return prescribing_reasons[i].text;
	return NULL;
}

/* Whether a product's name names a drug: the drug's first word is a
 * word of the name, in any case ("DEMO Methadone" and "methadone 1mg/ml
 * oral solution"; not "Methadonex"). */
static int
prescribing_same_drug(const char *name, const char *drug)
{
	size_t		 n = strcspn(drug, " ");
	const char	*w;

	for (w = name; n > 0 && *w != '\0'; w += strcspn(w, " "),
	    w += strspn(w, " "))
		if (strncasecmp(w, drug, n) == 0 &&
		    (w[n] == '\0' || w[n] == ' '))
			return 1;
	return 0;
}

/* A dose of the product as a person reads it: "30 ml (30 mg)". */
static void
prescribing_text(const struct product *p, int64_t measure,
    char buf[AMOUNT_TEXT_LEN])
{
	amount_dose_text(measure, p->unit, &p->active_per_unit, buf);
}

/* A dose against the product's limits: the single dose, and the day's
 * total at the prescription's round times.  -1 with why filled. */
static int
prescribing_check_dose(const struct prescription *rx,
    const struct product *p, int64_t dose, struct refusal *why)
{
	char	d[AMOUNT_TEXT_LEN], limit[AMOUNT_TEXT_LEN];
	int64_t	day = dose * rx->ntimes;

	prescribing_text(p, dose, d);
	if (p->max_single_dose > 0 && dose > p->max_single_dose) {
		prescribing_text(p, p->max_single_dose, limit);
		return refuse(why, 0, "dose_above_limit", "a dose of %s is "
		    "above the largest single dose of %s, %s", d, p->name,
		    limit);
	}
	prescribing_text(p, day, d);
	if (p->max_daily_dose > 0 && day > p->max_daily_dose) {
		prescribing_text(p, p->max_daily_dose, limit);
		return refuse(why, 0, "dose_above_limit", "%d doses a day "
		    "make %s a day, above the most a day of %s, %s",
		    rx->ntimes, d, p->name, limit);
	}
	return 0;
}

/* The start dose and every step against the product's limits. */
static int
prescribing_check_limits(const struct prescription *rx,
    const struct product *p, struct refusal *why)
{
	int	i;

	if (prescribing_check_dose(rx, p, rx->dose, why) == -1)
		return -1;
	for (i = 0; i < rx->nsteps; i++)
		if (prescribing_check_dose(rx, p, rx->steps[i].dose, why) ==
		    -1)
			return -1;
	return 0;
}

/* Whether the day's total is above ref: compared in the product's unit
 * when ref is in it, else as active amounts when ref is in the active
 * unit.  -1 if they cannot be compared honestly. */
static int
prescribing_above(const struct product *p, int64_t day,
    const struct amount *ref, int *above)
{
	struct amount	active;

	if (amount_same_unit(ref->unit, p->unit)) {
		*above = day > ref->quantity;
		return 0;
	}
	if (amount_active(day, &p->active_per_unit, &active) == -1 ||
	    !amount_same_unit(ref->unit, active.unit))
		return -1;
	*above = active.quantity > ref->quantity;
	return 0;
}

/* Add a reason an override is needed. */
static void __attribute__((format(printf, 3, 4)))
prescribing_reason(struct prescribing_decision *d, const char *code,
    const char *fmt, ...)
{
	struct prescribing_reason	*r;
	va_list				 ap;

	if (d->nreasons == PRESCRIBING_MAX_REASONS)
		return;
	r = &d->reasons[d->nreasons++];
	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
}

/* The first day against the community dose confirmed at arrival. */
static void
prescribing_against_community(const struct prescribing_case *c,
    int64_t day, struct prescribing_decision *d)
{
	const struct community_treatment *ct = &c->patient->community;
	struct amount	ref;
	char		 text[AMOUNT_TEXT_LEN], ours[AMOUNT_TEXT_LEN];
	int		 above;

	ref.quantity = ct->dose;
	snprintf(ref.unit, sizeof ref.unit, "%s", ct->unit);
	amount_format(&ref, text);
	prescribing_text(c->product, day, ours);
	if (!prescribing_same_drug(c->product->name, ct->drug) ||
	    prescribing_above(c->product, day, &ref, &above) == -1)
		prescribing_reason(d, "community_dose_not_comparable",
		    "reception confirmed %s %s a day in the community, which "
		    "cannot be compared with %s a day of %s", text,
		    ct->drug, ours, c->product->name);
	else if (above)
		prescribing_reason(d, "above_community_dose", "%s a day is "
		    "above the community dose confirmed at arrival, %s",
		    ours, text);
}

/* The first day against the drug's first-dose ceiling, when no
 * community dose is known. */
static void
prescribing_against_ceiling(const struct prescribing_case *c, int64_t day,
    struct prescribing_decision *d)
{
	const struct prescribing_ceiling *ceiling = NULL;
	char	 text[AMOUNT_TEXT_LEN], ours[AMOUNT_TEXT_LEN];
	int	 i, above;

	for (i = 0; c->ceilings != NULL && i < c->ceilings->n; i++)
		if (prescribing_same_drug(c->product->name,
		    c->ceilings->c[i].drug))
			ceiling = &c->ceilings->c[i];
	prescribing_text(c->product, day, ours);
	if (ceiling == NULL ||
	    prescribing_above(c->product, day, &ceiling->dose, &above) == -1)
		prescribing_reason(d, "no_first_dose_ceiling", "no community "
		    "dose is known, and no first-dose ceiling for %s is "
		    "configured in a unit %s a day can be compared with",
		    c->product->name, ours);
	else if (above) {
		amount_format(&ceiling->dose, text);
		prescribing_reason(d, "above_first_dose_ceiling", "no "
		    "community dose is known, and %s a day is above the "
		    "first-dose ceiling for %s, %s", ours, ceiling->drug,
		    text);
	}
}

/* The codes of the reasons, spaced, as recorded on the prescription. */
static void
prescribing_codes(struct prescribing_decision *d)
{
	size_t	len = 0;
	int	i;

	for (i = 0; i < d->nreasons; i++)
		len += (size_t)snprintf(d->override_codes + len,
		    sizeof d->override_codes - len, "%s%s", i ? " " : "",
		    d->reasons[i].code);
}

/* Whether an override's reason says something. */
static int
prescribing_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* What the reasons found and the override given come to. */
static void
prescribing_outcome(const struct prescribing_case *c,
    struct prescribing_decision *d)
{
	if (d->nreasons > 0 && c->override_reason == NULL) {
		d->outcome = PRESCRIBING_OVERRIDE_REQUIRED;
		(void)refuse(&d->why, 0, "override_required", "the first "
		    "opioid substitute prescribed in custody needs an "
		    "override with a reason: %s", d->reasons[0].message);
	} else if (d->nreasons == 0 && c->override_reason != NULL)
		(void)refuse(&d->why, 0, "override_not_needed", "this "
		    "prescription needs no override; write it without one");
	else {
		d->outcome = PRESCRIBING_ACCEPT;
		prescribing_codes(d);
	}
}

/* Decide whether a new prescription may be written: refused above the
 * product's limits; for an opioid substitute written first in the
 * custody, above the community dose (or the ceiling when none is known)
 * only with an override that gives a reason. */
void
prescribing_decide(const struct prescribing_case *c,
    struct prescribing_decision *d)
{
	const struct patient	*pt = c->patient;
	int64_t			 day = c->rx->dose * c->rx->ntimes;
	int			 first = c->product->opioid_substitute &&
				    c->earlier_substitutes == 0;

	memset(d, 0, sizeof *d);
	d->outcome = PRESCRIBING_REFUSE;
	if (c->override_reason != NULL &&
	    prescribing_blank(c->override_reason)) {
		(void)refuse(&d->why, 0, "override_reason_required", "an "
		    "override needs its reason: say why this dose is right "
		    "for this patient");
		return;
	}
	if (prescribing_check_limits(c->rx, c->product, &d->why) == -1)
		return;
	if (first && pt->in_treatment && pt->community.dose > 0)
		prescribing_against_community(c, day, d);
	else if (first)
		prescribing_against_ceiling(c, day, d);
	prescribing_outcome(c, d);
}

/* Add a drug's first-dose ceiling, "30 mg", as the configuration gives
 * it.  -1 if the drug's name or the amount is not one, or the list is
 * full. */
int
prescribing_ceiling_add(struct prescribing_ceilings *list, const char *drug,
    const char *dose)
{
	struct prescribing_ceiling	*c;
	size_t				 n = strlen(drug);

	if (list->n == PRESCRIBING_MAX_CEILINGS || n == 0 ||
	    n > PRESCRIBING_DRUG_MAX || strchr(drug, ' ') != NULL)
		return -1;
	c = &list->c[list->n];
	if (amount_parse(dose, &c->dose) == -1)
		return -1;
	memcpy(c->drug, drug, n + 1);
	list->n++;
	return 0;
}

/* Whether a dose carries its prescription's override for the nurse to
 * read: every dose until the first is given, since that is the one given
 * above what the patient was known to take; after it, the dose is the
 * patient's regime and the override is history (on the prescription and
 * in the audit). */
int
prescribing_override_shown(int overridden, int given_before)
{
	return overridden && !given_before;
}
