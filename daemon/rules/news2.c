/* The NEWS2 chart as the Royal College of Physicians publishes it. */
#include <stdio.h>
#include <string.h>

#include "news2.h"

/* Refuse readings no living patient shows: a typo, not a score. */
int
news2_check(const struct news2_readings *r, struct refusal *why)
{
	if (r->respiratory_rate < 1 || r->respiratory_rate > 80)
		return refuse(why, 0, "implausible_respiratory_rate",
		    "respiratory_rate must be 1 to 80 breaths a minute");
	if (r->spo2 < 50 || r->spo2 > 100)
		return refuse(why, 0, "implausible_spo2",
		    "spo2 must be 50 to 100 percent");
	if (r->spo2_scale != 1 && r->spo2_scale != 2)
		return refuse(why, 0, "invalid_spo2_scale",
		    "spo2_scale is 1, or 2 for a patient with hypercapnic "
		    "respiratory failure (a target of 88-92%%)");
	if (r->systolic_bp < 40 || r->systolic_bp > 300)
		return refuse(why, 0, "implausible_systolic_bp",
		    "systolic_bp must be 40 to 300 mmHg");
	if (r->pulse < 20 || r->pulse > 300)
		return refuse(why, 0, "implausible_pulse",
		    "pulse must be 20 to 300 beats a minute");
	if (r->temperature_tenths < 300 || r->temperature_tenths > 450)
		return refuse(why, 0, "implausible_temperature",
		    "temperature must be 30.0 to 45.0 degrees Celsius");
	return 0;
}

/* Respiration rate, breaths a minute. */
static int
news2_respiration(int rr)
{
	if (rr <= 8)
		return 3;
	if (rr <= 11)
		return 1;
	if (rr <= 20)
		return 0;
	if (rr <= 24)
		return 2;
	return 3;
}

/* SpO2 scale 1, or scale 2 where 88-92% is the target and only oxygen
 * pushing it higher scores. */
static int
news2_spo2(int spo2, int scale, int on_oxygen)
{
	if (scale == 1) {
		if (spo2 <= 91)
			return 3;
		if (spo2 <= 93)
			return 2;
		if (spo2 <= 95)
			return 1;
		return 0;
	}
	if (spo2 <= 83)
		return 3;
	if (spo2 <= 85)
		return 2;
	if (spo2 <= 87)
		return 1;
	if (spo2 <= 92 || !on_oxygen)
		return 0;
	if (spo2 <= 94)
		return 1;
	if (spo2 <= 96)
		return 2;
	return 3;
}

/* Systolic blood pressure, mmHg. */
static int
news2_systolic(int bp)
{
	if (bp <= 90)
		return 3;
	if (bp <= 100)
		return 2;
	if (bp <= 110)
		return 1;
	if (bp <= 219)
		return 0;
	return 3;
}

/* Pulse, beats a minute. */
static int
news2_pulse(int pulse)
{
	if (pulse <= 40)
		return 3;
	if (pulse <= 50)
		return 1;
	if (pulse <= 90)
		return 0;
	if (pulse <= 110)
		return 1;
	if (pulse <= 130)
		return 2;
	return 3;
}

/* Temperature in tenths of a degree Celsius. */
static int
news2_temperature(int tenths)
{
	if (tenths <= 350)
		return 3;
	if (tenths <= 360)
		return 1;
	if (tenths <= 380)
		return 0;
	if (tenths <= 390)
		return 1;
	return 2;
}

/* Score readings already checked with news2_check(). */
void
news2_score(const struct news2_readings *r, struct news2_result *out)
{
	int	i;

	memset(out, 0, sizeof *out);
	out->scores[NEWS2_RESPIRATION] = news2_respiration(r->respiratory_rate);
	out->scores[NEWS2_SPO2] = news2_spo2(r->spo2, r->spo2_scale,
	    r->on_oxygen);
	out->scores[NEWS2_AIR_OR_OXYGEN] = r->on_oxygen ? 2 : 0;
	out->scores[NEWS2_SYSTOLIC_BP] = news2_systolic(r->systolic_bp);
	out->scores[NEWS2_PULSE] = news2_pulse(r->pulse);
	out->scores[NEWS2_CONSCIOUSNESS] = r->consciousness == NEWS2_ALERT ?
	    0 : 3;
	out->scores[NEWS2_TEMPERATURE] = news2_temperature(
	    r->temperature_tenths);
	for (i = 0; i < NEWS2_NPARAMETERS; i++) {
		out->total += out->scores[i];
		if (out->scores[i] == 3 && !out->red) {
			out->red = 1;
			out->red_parameter = (enum news2_parameter)i;
		}
	}
	if (out->total >= 7)
		out->band = NEWS2_BAND_HIGH;
	else if (out->total >= 5)
		out->band = NEWS2_BAND_MEDIUM;
	else if (out->red)
		out->band = NEWS2_BAND_LOW_MEDIUM;
	else if (out->total >= 1)
		out->band = NEWS2_BAND_LOW;
	else
		out->band = NEWS2_BAND_ZERO;
}

static const char *const news2_bands[] = {
	"zero", "low", "low_medium", "medium", "high",
};

/* A band as docs/openapi.yaml's answers name it. */
const char *
news2_band_name(enum news2_band b)
{
	return news2_bands[b];
}

static const char *const news2_parameters[] = {
	"respiratory_rate", "spo2", "air_or_oxygen", "systolic_bp", "pulse",
	"consciousness", "temperature",
};

/* A parameter as the request's field names it. */
const char *
news2_parameter_name(enum news2_parameter p)
{
	return news2_parameters[p];
}

static const char news2_acvpu[] = "ACVPU";

/* A, or new C, V, P or U. */
int
news2_consciousness_parse(const char *s, enum news2_consciousness *out)
{
	const char	*p;

	if (s[0] == '\0' || s[1] != '\0' ||
	    (p = strchr(news2_acvpu, s[0])) == NULL)
		return -1;
	*out = (enum news2_consciousness)(p - news2_acvpu);
	return 0;
}

/* The ACVPU letter of a level of consciousness. */
const char *
news2_consciousness_name(enum news2_consciousness c)
{
	static const char *const names[] = { "A", "C", "V", "P", "U" };

	return names[c];
}

static const char *const news2_responses[] = {
	"routine monitoring", "ward-based response",
	"urgent ward-based response", "urgent response", "emergency response",
};

/* The clinical response a band calls for, in the Royal College of
 * Physicians' words (NEWS2, chart 2). */
const char *
news2_response(enum news2_band b)
{
	return news2_responses[b];
}

/* A parameter that scored 3, in words with its reading: "breathing rate
 * 25", "new confusion".  The last case is the temperature: oxygen given
 * scores 2 at most, so it is never one. */
static int
news2_red_word(const struct news2_readings *r, int p, char *buf,
    size_t size)
{
	static const char *const acvpu[] = {
		"alert", "new confusion", "responds only to voice",
		"responds only to pain", "unresponsive",
	};

	switch (p) {
	case NEWS2_RESPIRATION:
		return snprintf(buf, size, "breathing rate %d",
		    r->respiratory_rate);
	case NEWS2_SPO2:
		return snprintf(buf, size, "oxygen saturation %d%%%s", r->spo2,
		    r->on_oxygen ? " on oxygen" : "");
	case NEWS2_SYSTOLIC_BP:
		return snprintf(buf, size, "systolic blood pressure %d",
		    r->systolic_bp);
	case NEWS2_PULSE:
		return snprintf(buf, size, "pulse %d", r->pulse);
	case NEWS2_CONSCIOUSNESS:
		return snprintf(buf, size, "%s", acvpu[r->consciousness]);
	default:
		return snprintf(buf, size, "temperature %d.%d",
		    r->temperature_tenths / 10, r->temperature_tenths % 10);
	}
}

/* How far snprintf's n moved on in a buffer with left bytes free. */
static size_t
news2_moved(int n, size_t left)
{
	if (n < 0)
		return 0;
	return (size_t)n < left ? (size_t)n : left - 1;
}

/* Every parameter that scored 3, in words, in the chart's order: "breathing
 * rate 25, pulse 135, new confusion"; "" if none. */
void
news2_red_words(const struct news2_readings *r, const struct news2_result *res,
    char *buf, size_t size)
{
	size_t	len = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < NEWS2_NPARAMETERS && len + 1 < size; i++) {
		if (res->scores[i] != 3)
			continue;
		if (len > 0)
			len += news2_moved(snprintf(buf + len, size - len,
			    ", "), size - len);
		len += news2_moved(news2_red_word(r, i, buf + len,
		    size - len), size - len);
	}
}

/* What a score calls for: the response of its band and, for 7 or more,
 * the unit's own emergency instruction ("" for none): "emergency
 * response: call 2222". */
void
news2_action(const struct news2_result *res, const char *instruction,
    char *buf, size_t size)
{
	int	emergency = res->band == NEWS2_BAND_HIGH && instruction[0];

	snprintf(buf, size, "%s%s%s", news2_response(res->band), emergency ?
	    ": " : "", emergency ? instruction : "");
}

/* What a score asks of the staff, in words: each parameter that scored
 * 3, then news2_action(): "3 for breathing rate 25, pulse 135, new
 * confusion; emergency response: call 2222". */
void
news2_advice(const struct news2_readings *r, const struct news2_result *res,
    const char *instruction, char *buf, size_t size)
{
	char	red[NEWS2_ADVICE_MAX], action[NEWS2_ADVICE_MAX];

	news2_red_words(r, res, red, sizeof red);
	news2_action(res, instruction, action, sizeof action);
	snprintf(buf, size, "%s%s%s%s", red[0] ? "3 for " : "", red,
	    red[0] ? "; " : "", action);
}
