/* Cautions at the point of administration (issue 15): each is one small
 * rule over what the caller loaded, and says in words the facts that
 * raised it, so that a nurse reads why before anyone types a PIN.  An
 * opioid given to a drowsy or unwell patient, or to one whose tolerance
 * has gone, is how overdoses happen. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "caution.h"

static const char *const caution_names[CAUTION_NCODES] = {
	"news2_high", "not_alert", "first_dose_in_custody",
	"community_dose_unknown", "last_dose_long_ago", "dose_increased",
	"returned_today",
};

typedef int (*caution_rule)(const struct caution_facts *,
    const struct caution_policy *, int64_t now,
    char msg[CAUTION_MESSAGE_MAX]);

/* The code as the API writes it. */
const char *
caution_code_name(enum caution_code c)
{
	return caution_names[c];
}

/* A code from the API; -1 if there is no such caution. */
int
caution_code_parse(const char *s, enum caution_code *out)
{
	int	i;

	for (i = 0; i < CAUTION_NCODES; i++)
		if (strcmp(s, caution_names[i]) == 0) {
			*out = (enum caution_code)i;
			return 0;
		}
	return -1;
}

/* How a level of consciousness below alert reads. */
static const char *
caution_consciousness_words(enum news2_consciousness c)
{
	static const char *const words[] = {
		"alert", "newly confused", "responding only to voice",
		"responding only to pain", "unresponsive",
	};

	return words[c];
}

/* "2 days 5 hours", "7 hours": a duration as the message says it. */
static void
caution_duration(int64_t ms, char *buf, size_t size)
{
	int64_t	hours = ms / MS_PER_HOUR, days = hours / 24;

	if (days > 0)
		snprintf(buf, size, "%lld day%s %lld hour%s", (long long)days,
		    days == 1 ? "" : "s", (long long)(hours % 24),
		    hours % 24 == 1 ? "" : "s");
	else
		snprintf(buf, size, "%lld hour%s", (long long)hours,
		    hours == 1 ? "" : "s");
}

/* A NEWS2 of 5 or more, or a single parameter scoring 3, taken within
 * news2_ms before now (exactly news2_ms counts): the worst of them. */
static int
caution_news2_high(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	const struct observation	*worst = NULL, *o;
	char				 at[CALENDAR_LOCAL_LEN];
	size_t				 i;

	for (i = 0; i < f->nobs; i++) {
		o = &f->obs[i];
		if (o->taken_at > now || now - o->taken_at > p->news2_ms ||
		    (o->result.total < 5 && !o->result.red))
			continue;
		if (worst == NULL || o->result.total > worst->result.total)
			worst = o;
	}
	if (worst == NULL)
		return 0;
	calendar_format_local(worst->taken_at, at);
	snprintf(msg, CAUTION_MESSAGE_MAX, "NEWS2 scored %d at %s%s, within "
	    "the last %lld hours: the patient may be unwell or sedated",
	    worst->result.total, at, worst->result.red ? ", with a single "
	    "parameter scoring 3" : "",
	    (long long)(p->news2_ms / MS_PER_HOUR));
	return 1;
}

/* The latest observation found the patient less than alert. */
static int
caution_not_alert(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	const struct observation	*o = NULL;
	char				 at[CALENDAR_LOCAL_LEN];
	size_t				 i;

	(void)p;
	for (i = 0; i < f->nobs && o == NULL; i++)
		if (f->obs[i].taken_at <= now)
			o = &f->obs[i];
	if (o == NULL || o->readings.consciousness == NEWS2_ALERT)
		return 0;
	calendar_format_local(o->taken_at, at);
	snprintf(msg, CAUTION_MESSAGE_MAX, "at the latest observation, %s, "
	    "the patient was %s (%s on ACVPU), not alert",
	    at, caution_consciousness_words(o->readings.consciousness),
	    news2_consciousness_name(o->readings.consciousness));
	return 1;
}

/* No dose has been given in this custody yet. */
static int
caution_first_dose(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	char	at[CALENDAR_LOCAL_LEN];

	(void)p;
	(void)now;
	if (f->last_given != NULL)
		return 0;
	calendar_format_local(f->patient->arrived_at, at);
	snprintf(msg, CAUTION_MESSAGE_MAX, "this is the first dose in "
	    "custody: none has been given since arrival on %s", at);
	return 1;
}

/* No dose given in custody, and when the last one outside was taken is
 * not known. */
static int
caution_community_unknown(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	const struct patient	*pt = f->patient;
	char			 dose[QUANTITY_TEXT_LEN];

	(void)p;
	(void)now;
	if (f->last_given != NULL || (pt->in_treatment &&
	    pt->community.has_last_dose))
		return 0;
	if (!pt->in_treatment) {
		snprintf(msg, CAUTION_MESSAGE_MAX, "reception recorded no "
		    "community treatment: the dose and when it was last taken "
		    "outside are not known");
		return 1;
	}
	validate_quantity_format(pt->community.dose, dose);
	snprintf(msg, CAUTION_MESSAGE_MAX, "reception recorded %s %s %s in "
	    "the community, but not when it was last taken", dose,
	    pt->community.unit, pt->community.drug);
	return 1;
}

/* The last known dose, in custody or in the community, longer ago than
 * tolerance lasts (exactly tolerance_ms does not count). */
static int
caution_last_dose_long_ago(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	const struct patient	*pt = f->patient;
	int64_t			 last = 0;
	int			 outside = 0;
	char			 at[CALENDAR_LOCAL_LEN], ago[64];

	if (f->last_given != NULL)
		last = f->last_given->recorded_at;
	if (pt->in_treatment && pt->community.has_last_dose &&
	    pt->community.last_dose_at > last) {
		last = pt->community.last_dose_at;
		outside = 1;
	}
	if (last == 0 || now - last <= p->tolerance_ms)
		return 0;
	calendar_format_local(last, at);
	caution_duration(now - last, ago, sizeof ago);
	snprintf(msg, CAUTION_MESSAGE_MAX, "the last known dose was %s, "
	    "%s, %s ago: tolerance may be lost after %lld days",
	    outside ? "taken in the community" : "given in custody", at, ago,
	    (long long)(p->tolerance_ms / MS_PER_DAY));
	return 1;
}

/* More than the last dose of this product given in custody. */
static int
caution_dose_increased(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	char	to[QUANTITY_TEXT_LEN], from[QUANTITY_TEXT_LEN];
	char	at[CALENDAR_LOCAL_LEN];

	(void)p;
	(void)now;
	if (f->last_same == NULL || f->dose->amount <= f->last_same->amount)
		return 0;
	validate_quantity_format(f->dose->amount, to);
	validate_quantity_format(f->last_same->amount, from);
	calendar_format_local(f->last_same->recorded_at, at);
	snprintf(msg, CAUTION_MESSAGE_MAX, "this dose, %s %s, is more than "
	    "the last one given, %s %s on %s", to, f->unit, from, f->unit, at);
	return 1;
}

/* Back from court on today's local date. */
static int
caution_returned_today(const struct caution_facts *f,
    const struct caution_policy *p, int64_t now,
    char msg[CAUTION_MESSAGE_MAX])
{
	const struct dose_trip	*t = f->trip;
	struct civil_date	 back, today;
	char			 at[CALENDAR_LOCAL_LEN];

	(void)p;
	if (t == NULL || t->returned_at == 0 || t->returned_at > now)
		return 0;
	back = calendar_local_date(t->returned_at);
	today = calendar_local_date(now);
	if (back.year != today.year || back.month != today.month ||
	    back.day != today.day)
		return 0;
	calendar_format_local(t->returned_at, at);
	snprintf(msg, CAUTION_MESSAGE_MAX, "back from court today, %s: ask "
	    "what was taken while away, and look for signs of intoxication",
	    at);
	return 1;
}

static const caution_rule caution_rules[CAUTION_NCODES] = {
	caution_news2_high, caution_not_alert, caution_first_dose,
	caution_community_unknown, caution_last_dose_long_ago,
	caution_dose_increased, caution_returned_today,
};

/* Every caution on the dose to be given now, each in words. */
void
caution_find(const struct caution_facts *f, const struct caution_policy *p,
    int64_t now, struct caution_list *out)
{
	struct caution	*c;
	int		 i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < CAUTION_NCODES; i++) {
		c = &out->item[out->n];
		if (caution_rules[i](f, p, now, c->message)) {
			c->code = (enum caution_code)i;
			out->n++;
		}
	}
}

/* Whether a dose may go ahead: each of its cautions confirmed (a bit
 * 1 << code in confirmed) with a note, and none confirmed that it does
 * not have (the facts changed since the nurse read them).  Both refusals
 * are conflicts with the dose's state: 409. */
int
caution_check_confirmed(const struct caution_list *l, unsigned confirmed,
    int has_note, struct refusal *why)
{
	unsigned	have = 0;
	char		missing[CAUTION_NCODES * 32] = "";
	int		i;

	for (i = 0; i < l->n; i++)
		have |= 1u << l->item[i].code;
	for (i = 0; i < CAUTION_NCODES; i++)
		if (confirmed & ~have & (1u << i))
			return refuse(why, 1, "caution_not_present", "this "
			    "dose has no caution %s now: confirm only the "
			    "cautions it has", caution_names[i]);
	for (i = 0; i < l->n; i++)
		if (!(confirmed & (1u << l->item[i].code)))
			snprintf(missing + strlen(missing), sizeof missing -
			    strlen(missing), "%s%s", missing[0] ? ", " : "",
			    caution_names[l->item[i].code]);
	if (missing[0] != '\0')
		return refuse(why, 1, "cautions_unconfirmed", "this dose has "
		    "cautions to consider before it is given; not yet "
		    "confirmed: %s", missing);
	if (l->n > 0 && !has_note)
		return refuse(why, 1, "cautions_unconfirmed", "a note is "
		    "needed with the cautions confirmed: why it is safe to "
		    "give this dose");
	return 0;
}
