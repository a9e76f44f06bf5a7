/* The ward's words for what the API answers: times in the local zone
 * (TZ, which should be the unit's), quantities with their unit, names as
 * the ward writes them. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"
#include "ward.h"

/* A string member, or NULL. */
const char *
ward_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* An RFC 3339 instant as milliseconds; -1 if it is not one. */
int
ward_instant_ms(const char *instant, int64_t *ms)
{
	if (instant == NULL)
		return -1;
	return timefmt_parse_instant(instant, ms);
}

/* The local calendar day of ms (days_on days later) as YYYY-MM-DD: the
 * date the daemon's round and court list are asked for. */
const char *
ward_local_date(int64_t ms, int days_on, char *buf, size_t size)
{
	struct tm	tm;
	time_t		t = (time_t)(ms / MS_PER_SECOND);

	if (localtime_r(&t, &tm) == NULL)
		return NULL;
	tm.tm_mday += days_on;
	tm.tm_hour = 12;	/* away from any clock change */
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		return NULL;
	return buf;
}

/* An instant in local time.  WARD_DAY_HM names the day only when it is
 * not the daemon's today, so a round reads "08:00" and tomorrow's
 * "Tue 08:00"; the header's clock names the zone (WARD_HM_ZONE, "08:00
 * BST"), so every time on the screen is read in it. */
const char *
ward_when(const struct ward *w, int64_t ms, int how, char *buf, size_t size)
{
	struct tm	 tm, today;
	time_t		 t = (time_t)(ms / MS_PER_SECOND);
	time_t		 now = (time_t)(ward_now(w) / MS_PER_SECOND);
	size_t		 n;

	if (localtime_r(&t, &tm) == NULL || localtime_r(&now, &today) == NULL)
		return NULL;
	/* Each format a literal, so the compiler checks it. */
	if (how == WARD_HMS)
		n = strftime(buf, size, "%H:%M:%S", &tm);
	else if (how == WARD_DATE)
		n = strftime(buf, size, "%a %d %b", &tm);
	else if (how == WARD_HM_ZONE)
		n = strftime(buf, size, "%H:%M %Z", &tm);
	else if (how == WARD_DAY_HM && (tm.tm_year != today.tm_year ||
	    tm.tm_yday != today.tm_yday))
		n = strftime(buf, size, "%a %H:%M", &tm);
	else
		n = strftime(buf, size, "%H:%M", &tm);
	return n == 0 ? NULL : buf;
}

/* The same from an answer's text; the text itself if it does not parse,
 * NULL if there is none. */
const char *
ward_instant(const struct ward *w, const char *instant, int how, char *buf,
    size_t size)
{
	int64_t	ms;

	if (instant == NULL)
		return NULL;
	if (timefmt_parse_instant(instant, &ms) == -1 ||
	    ward_when(w, ms, how, buf, size) == NULL)
		snprintf(buf, size, "%s", instant);
	return buf;
}

/* "30 ml", "2.5 tablet": the API's quantity (at most three decimals)
 * written back as the daemon's own validation writes it. */
const char *
ward_amount(const json_t *quantity, const char *unit, char *buf, size_t size)
{
	char	q[QUANTITY_TEXT_LEN];
	int64_t	th;

	if (!json_is_number(quantity) ||
	    validate_quantity(json_number_value(quantity), &th) == -1)
		return NULL;
	validate_quantity_format(th, q);
	snprintf(buf, size, "%s%s%s", q, unit != NULL ? " " : "",
	    unit != NULL ? unit : "");
	return buf;
}

/* "Able, Alan" */
const char *
ward_person(const json_t *patient, char *buf, size_t size)
{
	const char	*family = ward_str(patient, "family_name");
	const char	*given = ward_str(patient, "given_name");

	snprintf(buf, size, "%s, %s", family != NULL ? family : "?",
	    given != NULL ? given : "?");
	return buf;
}

/* "A1234BC Able, Alan, A1-01": who a line is about, whole. */
const char *
ward_who_line(const json_t *patient, char *buf, size_t size)
{
	char	name[256];

	snprintf(buf, size, "%s %s, %s", ward_str(patient, "prison_number") ?
	    ward_str(patient, "prison_number") : "?", ward_person(patient,
	    name, sizeof name), ward_str(patient, "location") ?
	    ward_str(patient, "location") : "?");
	return buf;
}
