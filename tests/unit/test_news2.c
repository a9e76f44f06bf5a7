/* NEWS2 (Royal College of Physicians, 2017, chart 1): every band edge of
 * every parameter with its neighbours on both sides, both SpO2 scales on
 * air and on oxygen, the totals and clinical response bands, the red flag
 * and which parameter raised it, the refusal of each reading just outside
 * what news2_check accepts, and the ACVPU letters and names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "news2.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Every parameter scores 0: the baseline each test moves one field off. */
static struct news2_readings
well(void)
{
	struct news2_readings	r;

	memset(&r, 0, sizeof r);
	r.respiratory_rate = 16;
	r.spo2 = 97;
	r.spo2_scale = 1;
	r.on_oxygen = 0;
	r.systolic_bp = 120;
	r.pulse = 70;
	r.consciousness = NEWS2_ALERT;
	r.temperature_tenths = 370;
	return r;
}

/* Check, then score over a result full of garbage, so nothing carries. */
static void
score(const struct news2_readings *r, struct news2_result *out)
{
	struct refusal	why = { NULL, "", 0 };

	if (news2_check(r, &why) != 0)
		fail_msg("refused %s", why.code);
	memset(out, 0xa5, sizeof *out);
	news2_score(r, out);
}

struct edge {
	int	value;
	int	score;
};

enum field { RR, SPO2, SBP, PULSE, TEMP };

static void
set(struct news2_readings *r, enum field f, int v)
{
	switch (f) {
	case RR:	r->respiratory_rate = v; break;
	case SPO2:	r->spo2 = v; break;
	case SBP:	r->systolic_bp = v; break;
	case PULSE:	r->pulse = v; break;
	case TEMP:	r->temperature_tenths = v; break;
	}
}

/* Each value alone off the baseline scores what the chart says, in its
 * own row and nowhere else; base supplies scale and oxygen. */
static void
walk(const struct news2_readings *base, enum field f,
    enum news2_parameter p, const struct edge *e, size_t n)
{
	struct news2_readings	r;
	struct news2_result	res;
	size_t			i;
	int			j, others;

	for (i = 0; i < n; i++) {
		r = *base;
		set(&r, f, e[i].value);
		score(&r, &res);
		if (res.scores[p] != e[i].score)
			fail_msg("%s %d (scale %d, %s): chart %d, got %d",
			    news2_parameter_name(p), e[i].value, r.spo2_scale,
			    r.on_oxygen ? "oxygen" : "air", e[i].score,
			    res.scores[p]);
		others = 0;
		for (j = 0; j < NEWS2_NPARAMETERS; j++)
			if (j != (int)p)
				others += res.scores[j];
		assert_int_equal(res.total, e[i].score + others);
		assert_int_equal(others, r.on_oxygen ? 2 : 0);
	}
}

static void
test_respiration(void **state)
{
	static const struct edge e[] = {
		{ 1, 3 }, { 7, 3 }, { 8, 3 },
		{ 9, 1 }, { 10, 1 }, { 11, 1 },
		{ 12, 0 }, { 13, 0 }, { 16, 0 }, { 19, 0 }, { 20, 0 },
		{ 21, 2 }, { 22, 2 }, { 23, 2 }, { 24, 2 },
		{ 25, 3 }, { 26, 3 }, { 80, 3 },
	};
	struct news2_readings	r = well();

	(void)state;
	walk(&r, RR, NEWS2_RESPIRATION, e, NITEMS(e));
}

/* Scale 1 ignores oxygen in the SpO2 row; oxygen scores in its own. */
static void
test_spo2_scale1(void **state)
{
	static const struct edge e[] = {
		{ 50, 3 }, { 90, 3 }, { 91, 3 },
		{ 92, 2 }, { 93, 2 },
		{ 94, 1 }, { 95, 1 },
		{ 96, 0 }, { 97, 0 }, { 100, 0 },
	};
	struct news2_readings	r = well();

	(void)state;
	walk(&r, SPO2, NEWS2_SPO2, e, NITEMS(e));
	r.on_oxygen = 1;
	walk(&r, SPO2, NEWS2_SPO2, e, NITEMS(e));
}

/* Scale 2 on air: 88% and above all score 0. */
static void
test_spo2_scale2_air(void **state)
{
	static const struct edge e[] = {
		{ 50, 3 }, { 82, 3 }, { 83, 3 },
		{ 84, 2 }, { 85, 2 },
		{ 86, 1 }, { 87, 1 },
		{ 88, 0 }, { 89, 0 }, { 91, 0 }, { 92, 0 }, { 93, 0 },
		{ 94, 0 }, { 95, 0 }, { 96, 0 }, { 97, 0 }, { 98, 0 },
		{ 100, 0 },
	};
	struct news2_readings	r = well();

	(void)state;
	r.spo2_scale = 2;
	walk(&r, SPO2, NEWS2_SPO2, e, NITEMS(e));
}

/* Scale 2 on oxygen: above the 88-92% target scores again. */
static void
test_spo2_scale2_oxygen(void **state)
{
	static const struct edge e[] = {
		{ 50, 3 }, { 82, 3 }, { 83, 3 },
		{ 84, 2 }, { 85, 2 },
		{ 86, 1 }, { 87, 1 },
		{ 88, 0 }, { 89, 0 }, { 91, 0 }, { 92, 0 },
		{ 93, 1 }, { 94, 1 },
		{ 95, 2 }, { 96, 2 },
		{ 97, 3 }, { 98, 3 }, { 100, 3 },
	};
	struct news2_readings	r = well();

	(void)state;
	r.spo2_scale = 2;
	r.on_oxygen = 1;
	walk(&r, SPO2, NEWS2_SPO2, e, NITEMS(e));
}

static void
test_air_or_oxygen(void **state)
{
	struct news2_readings	r = well();
	struct news2_result	res;
	int			scale;

	(void)state;
	for (scale = 1; scale <= 2; scale++) {
		r.spo2_scale = scale;
		r.on_oxygen = 0;
		score(&r, &res);
		assert_int_equal(res.scores[NEWS2_AIR_OR_OXYGEN], 0);
		assert_int_equal(res.total, 0);
		r.on_oxygen = 1;
		score(&r, &res);
		assert_int_equal(res.scores[NEWS2_AIR_OR_OXYGEN], 2);
	}
	/* Scale 1, 97% on oxygen: only the oxygen scores. */
	r.spo2_scale = 1;
	score(&r, &res);
	assert_int_equal(res.scores[NEWS2_SPO2], 0);
	assert_int_equal(res.total, 2);
	assert_int_equal(res.band, NEWS2_BAND_LOW);
	/* Scale 2, 97% on oxygen: 3 and 2, a red flag on SpO2. */
	r.spo2_scale = 2;
	score(&r, &res);
	assert_int_equal(res.scores[NEWS2_SPO2], 3);
	assert_int_equal(res.total, 5);
	assert_true(res.red);
	assert_int_equal(res.red_parameter, NEWS2_SPO2);
	assert_int_equal(res.band, NEWS2_BAND_MEDIUM);
	/* The same patient on air scores nothing. */
	r.on_oxygen = 0;
	score(&r, &res);
	assert_int_equal(res.total, 0);
	assert_false(res.red);
	assert_int_equal(res.band, NEWS2_BAND_ZERO);
}

static void
test_systolic(void **state)
{
	static const struct edge e[] = {
		{ 40, 3 }, { 89, 3 }, { 90, 3 },
		{ 91, 2 }, { 92, 2 }, { 99, 2 }, { 100, 2 },
		{ 101, 1 }, { 102, 1 }, { 109, 1 }, { 110, 1 },
		{ 111, 0 }, { 112, 0 }, { 120, 0 }, { 218, 0 }, { 219, 0 },
		{ 220, 3 }, { 221, 3 }, { 300, 3 },
	};
	struct news2_readings	r = well();

	(void)state;
	walk(&r, SBP, NEWS2_SYSTOLIC_BP, e, NITEMS(e));
}

static void
test_pulse(void **state)
{
	static const struct edge e[] = {
		{ 20, 3 }, { 39, 3 }, { 40, 3 },
		{ 41, 1 }, { 42, 1 }, { 49, 1 }, { 50, 1 },
		{ 51, 0 }, { 52, 0 }, { 89, 0 }, { 90, 0 },
		{ 91, 1 }, { 92, 1 }, { 109, 1 }, { 110, 1 },
		{ 111, 2 }, { 112, 2 }, { 129, 2 }, { 130, 2 },
		{ 131, 3 }, { 132, 3 }, { 300, 3 },
	};
	struct news2_readings	r = well();

	(void)state;
	walk(&r, PULSE, NEWS2_PULSE, e, NITEMS(e));
}

static void
test_consciousness(void **state)
{
	static const struct {
		enum news2_consciousness	c;
		int				score;
	} e[] = {
		{ NEWS2_ALERT, 0 }, { NEWS2_CONFUSION, 3 }, { NEWS2_VOICE, 3 },
		{ NEWS2_PAIN, 3 }, { NEWS2_UNRESPONSIVE, 3 },
	};
	struct news2_readings	r = well();
	struct news2_result	res;
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(e); i++) {
		r.consciousness = e[i].c;
		score(&r, &res);
		assert_int_equal(res.scores[NEWS2_CONSCIOUSNESS], e[i].score);
		assert_int_equal(res.total, e[i].score);
		assert_int_equal(res.red, e[i].score == 3);
		if (e[i].score == 3) {
			assert_int_equal(res.red_parameter,
			    NEWS2_CONSCIOUSNESS);
			assert_int_equal(res.band, NEWS2_BAND_LOW_MEDIUM);
		} else
			assert_int_equal(res.band, NEWS2_BAND_ZERO);
	}
}

static void
test_temperature(void **state)
{
	static const struct edge e[] = {
		{ 300, 3 }, { 349, 3 }, { 350, 3 },
		{ 351, 1 }, { 352, 1 }, { 359, 1 }, { 360, 1 },
		{ 361, 0 }, { 362, 0 }, { 370, 0 }, { 379, 0 }, { 380, 0 },
		{ 381, 1 }, { 382, 1 }, { 389, 1 }, { 390, 1 },
		{ 391, 2 }, { 392, 2 }, { 450, 2 },
	};
	struct news2_readings	r = well();

	(void)state;
	walk(&r, TEMP, NEWS2_TEMPERATURE, e, NITEMS(e));
}

/* Totals and bands: 0 zero; 1-4 low; a lone 3 with a total of 4 or less
 * low_medium; 5-6 medium with or without a 3; 7 or more high. */
static void
test_bands(void **state)
{
	static const struct {
		const char	*what;
		int		rr, spo2, scale, o2, sbp, pulse;
		enum news2_consciousness c;
		int		temp;
		int		total, red;
		enum news2_parameter red_parameter;
		enum news2_band	band;
	} e[] = {
		{ "all well", 16, 97, 1, 0, 120, 70, NEWS2_ALERT, 370,
		    0, 0, 0, NEWS2_BAND_ZERO },
		{ "pulse 1", 16, 97, 1, 0, 120, 91, NEWS2_ALERT, 370,
		    1, 0, 0, NEWS2_BAND_LOW },
		{ "oxygen 2", 16, 97, 1, 1, 120, 70, NEWS2_ALERT, 370,
		    2, 0, 0, NEWS2_BAND_LOW },
		{ "2+2", 21, 97, 1, 0, 100, 70, NEWS2_ALERT, 370,
		    4, 0, 0, NEWS2_BAND_LOW },
		{ "1+1+1+1", 11, 95, 1, 0, 110, 70, NEWS2_ALERT, 360,
		    4, 0, 0, NEWS2_BAND_LOW },
		{ "lone 3", 8, 97, 1, 0, 120, 70, NEWS2_ALERT, 370,
		    3, 1, NEWS2_RESPIRATION, NEWS2_BAND_LOW_MEDIUM },
		{ "3+1", 16, 97, 1, 0, 120, 40, NEWS2_ALERT, 360,
		    4, 1, NEWS2_PULSE, NEWS2_BAND_LOW_MEDIUM },
		{ "2+2+1", 24, 97, 1, 0, 91, 110, NEWS2_ALERT, 370,
		    5, 0, 0, NEWS2_BAND_MEDIUM },
		{ "3+2", 25, 97, 1, 0, 91, 70, NEWS2_ALERT, 370,
		    5, 1, NEWS2_RESPIRATION, NEWS2_BAND_MEDIUM },
		{ "2+2+2", 16, 97, 1, 1, 91, 111, NEWS2_ALERT, 370,
		    6, 0, 0, NEWS2_BAND_MEDIUM },
		{ "3+3", 16, 97, 1, 0, 120, 70, NEWS2_VOICE, 350,
		    6, 1, NEWS2_CONSCIOUSNESS, NEWS2_BAND_MEDIUM },
		{ "2+2+2+1", 22, 97, 1, 0, 95, 115, NEWS2_ALERT, 390,
		    7, 0, 0, NEWS2_BAND_HIGH },
		{ "3+2+2", 16, 91, 1, 1, 100, 70, NEWS2_ALERT, 370,
		    7, 1, NEWS2_SPO2, NEWS2_BAND_HIGH },
		{ "3+3+1", 16, 97, 1, 0, 220, 131, NEWS2_ALERT, 381,
		    7, 1, NEWS2_SYSTOLIC_BP, NEWS2_BAND_HIGH },
		{ "every row at its worst", 25, 91, 1, 1, 90, 131,
		    NEWS2_UNRESPONSIVE, 350,
		    20, 1, NEWS2_RESPIRATION, NEWS2_BAND_HIGH },
		{ "scale 2 at its worst", 8, 97, 2, 1, 220, 40,
		    NEWS2_PAIN, 300,
		    20, 1, NEWS2_RESPIRATION, NEWS2_BAND_HIGH },
	};
	struct news2_readings	r;
	struct news2_result	res;
	size_t			i;
	int			j, sum;

	(void)state;
	for (i = 0; i < NITEMS(e); i++) {
		r = well();
		r.respiratory_rate = e[i].rr;
		r.spo2 = e[i].spo2;
		r.spo2_scale = e[i].scale;
		r.on_oxygen = e[i].o2;
		r.systolic_bp = e[i].sbp;
		r.pulse = e[i].pulse;
		r.consciousness = e[i].c;
		r.temperature_tenths = e[i].temp;
		score(&r, &res);
		for (sum = 0, j = 0; j < NEWS2_NPARAMETERS; j++)
			sum += res.scores[j];
		if (res.total != e[i].total || res.red != e[i].red ||
		    res.band != e[i].band || sum != res.total ||
		    (e[i].red && res.red_parameter != e[i].red_parameter))
			fail_msg("%s: chart total %d red %d (%s) band %s, "
			    "got total %d (sum %d) red %d (%s) band %s",
			    e[i].what, e[i].total, e[i].red,
			    news2_parameter_name(e[i].red_parameter),
			    news2_band_name(e[i].band), res.total, sum,
			    res.red, res.red ? news2_parameter_name(
			    res.red_parameter) : "-",
			    news2_band_name(res.band));
	}
}

/* Each parameter that can score 3, alone and with every later one also
 * at 3: the red parameter is the first in chart order. */
static void
test_red_parameter(void **state)
{
	static const enum news2_parameter red[] = {
		NEWS2_RESPIRATION, NEWS2_SPO2, NEWS2_SYSTOLIC_BP, NEWS2_PULSE,
		NEWS2_CONSCIOUSNESS, NEWS2_TEMPERATURE,
	};
	struct news2_readings	r;
	struct news2_result	res;
	size_t			i, j;

	(void)state;
	for (i = 0; i < NITEMS(red); i++) {
		for (j = NITEMS(red); j > i; j--) {
			size_t	k;

			r = well();
			for (k = i; k < j; k++) {
				switch (red[k]) {
				case NEWS2_RESPIRATION:
					r.respiratory_rate = 30; break;
				case NEWS2_SPO2:	r.spo2 = 85; break;
				case NEWS2_SYSTOLIC_BP:	r.systolic_bp = 80;
					break;
				case NEWS2_PULSE:	r.pulse = 140; break;
				case NEWS2_CONSCIOUSNESS:
					r.consciousness = NEWS2_CONFUSION;
					break;
				case NEWS2_TEMPERATURE:
					r.temperature_tenths = 340; break;
				default:
					fail();
				}
			}
			score(&r, &res);
			assert_true(res.red);
			assert_int_equal(res.red_parameter, red[i]);
			assert_int_equal(res.total, 3 * (int)(j - i));
			assert_int_equal(res.band, j - i == 1 ?
			    NEWS2_BAND_LOW_MEDIUM : j - i == 2 ?
			    NEWS2_BAND_MEDIUM : NEWS2_BAND_HIGH);
		}
	}
	/* Oxygen's 2 and a 2 elsewhere raise no flag. */
	r = well();
	r.on_oxygen = 1;
	r.respiratory_rate = 24;
	r.spo2_scale = 2;
	r.spo2 = 96;
	score(&r, &res);
	assert_int_equal(res.total, 6);
	assert_false(res.red);
	assert_int_equal(res.band, NEWS2_BAND_MEDIUM);
}

/* Each reading just outside what news2_check accepts, with its code, and
 * the accepted edges. */
static void
test_check(void **state)
{
	static const struct {
		int		field;	/* 0 rr 1 spo2 2 scale 3 sbp 4 pulse 5 temp */
		int		value;
		const char	*code;	/* NULL: accepted */
	} e[] = {
		{ 0, 0, "implausible_respiratory_rate" },
		{ 0, 1, NULL }, { 0, 80, NULL },
		{ 0, 81, "implausible_respiratory_rate" },
		{ 0, -1, "implausible_respiratory_rate" },
		{ 1, 49, "implausible_spo2" },
		{ 1, 50, NULL }, { 1, 100, NULL },
		{ 1, 101, "implausible_spo2" },
		{ 2, 0, "invalid_spo2_scale" },
		{ 2, 1, NULL }, { 2, 2, NULL },
		{ 2, 3, "invalid_spo2_scale" },
		{ 2, -1, "invalid_spo2_scale" },
		{ 3, 39, "implausible_systolic_bp" },
		{ 3, 40, NULL }, { 3, 300, NULL },
		{ 3, 301, "implausible_systolic_bp" },
		{ 4, 19, "implausible_pulse" },
		{ 4, 20, NULL }, { 4, 300, NULL },
		{ 4, 301, "implausible_pulse" },
		{ 5, 299, "implausible_temperature" },
		{ 5, 300, NULL }, { 5, 450, NULL },
		{ 5, 451, "implausible_temperature" },
		{ 5, 0, "implausible_temperature" },
	};
	struct news2_readings	r;
	struct refusal		why;
	size_t			i;
	int			rc;

	(void)state;
	r = well();
	why.code = NULL;
	assert_int_equal(news2_check(&r, &why), 0);
	for (i = 0; i < NITEMS(e); i++) {
		r = well();
		switch (e[i].field) {
		case 0: r.respiratory_rate = e[i].value; break;
		case 1: r.spo2 = e[i].value; break;
		case 2: r.spo2_scale = e[i].value; break;
		case 3: r.systolic_bp = e[i].value; break;
		case 4: r.pulse = e[i].value; break;
		case 5: r.temperature_tenths = e[i].value; break;
		}
		why.code = NULL;
		why.message[0] = '\0';
		why.conflict = -1;
		rc = news2_check(&r, &why);
		if (e[i].code == NULL) {
			if (rc != 0)
				fail_msg("field %d value %d refused %s",
				    e[i].field, e[i].value, why.code);
			continue;
		}
		if (rc != -1 || why.code == NULL)
			fail_msg("field %d value %d accepted", e[i].field,
			    e[i].value);
		assert_string_equal(why.code, e[i].code);
		assert_non_null(why.message);
		assert_true(why.message[0] != '\0');
		assert_int_equal(why.conflict, 0);
	}
}

static void
test_consciousness_parse(void **state)
{
	static const char *const letters[] = { "A", "C", "V", "P", "U" };
	static const enum news2_consciousness levels[] = {
		NEWS2_ALERT, NEWS2_CONFUSION, NEWS2_VOICE, NEWS2_PAIN,
		NEWS2_UNRESPONSIVE,
	};
	static const char *const bad[] = {
		"a", "c", "v", "p", "u", "", "AA", "X", "AV", "A ", " A",
		"Alert",
	};
	enum news2_consciousness	c;
	size_t				i;

	(void)state;
	for (i = 0; i < NITEMS(letters); i++) {
		c = levels[(i + 1) % NITEMS(levels)];
		assert_int_equal(news2_consciousness_parse(letters[i], &c), 0);
		assert_int_equal(c, levels[i]);
		assert_string_equal(news2_consciousness_name(levels[i]),
		    letters[i]);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		c = NEWS2_PAIN;
		if (news2_consciousness_parse(bad[i], &c) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(c, NEWS2_PAIN);
	}
}

static void
test_names(void **state)
{
	static const char *const bands[] = {
		"zero", "low", "low_medium", "medium", "high",
	};
	static const char *const parameters[] = {
		"respiratory_rate", "spo2", "air_or_oxygen", "systolic_bp",
		"pulse", "consciousness", "temperature",
	};
	size_t	i;

	(void)state;
	assert_int_equal(NITEMS(parameters), NEWS2_NPARAMETERS);
	for (i = 0; i < NITEMS(bands); i++)
		assert_string_equal(news2_band_name((enum news2_band)i),
		    bands[i]);
	for (i = 0; i < NITEMS(parameters); i++)
		assert_string_equal(
		    news2_parameter_name((enum news2_parameter)i),
		    parameters[i]);
	assert_int_equal(NEWS2_BAND_ZERO, 0);
	assert_true(NEWS2_BAND_LOW < NEWS2_BAND_LOW_MEDIUM);
	assert_true(NEWS2_BAND_LOW_MEDIUM < NEWS2_BAND_MEDIUM);
	assert_true(NEWS2_BAND_MEDIUM < NEWS2_BAND_HIGH);
}

/* The response each band calls for, in the RCP's words. */
static void
test_response(void **state)
{
	static const char *const responses[] = {
		"routine monitoring", "ward-based response",
		"urgent ward-based response", "urgent response",
		"emergency response",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(responses); i++)
		assert_string_equal(news2_response((enum news2_band)i),
		    responses[i]);
}

/* Each parameter that can score 3, alone, at the edge where it does,
 * in words with its reading; one a point short of 3 is not named. */
static void
test_red_words_each(void **state)
{
	static const struct {
		const char	*field;
		int		 red, short_of;	/* scores 3; scores less */
		const char	*words;
	} e[] = {
		{ "rr", 25, 24, "breathing rate 25" },
		{ "rr", 8, 9, "breathing rate 8" },
		{ "spo2", 91, 92, "oxygen saturation 91%" },
		{ "sbp", 90, 91, "systolic blood pressure 90" },
		{ "sbp", 220, 219, "systolic blood pressure 220" },
		{ "pulse", 131, 130, "pulse 131" },
		{ "pulse", 40, 41, "pulse 40" },
		{ "temp", 350, 351, "temperature 35.0" },
		{ "acvpu", NEWS2_CONFUSION, NEWS2_ALERT, "new confusion" },
		{ "acvpu", NEWS2_VOICE, NEWS2_ALERT,
		    "responds only to voice" },
		{ "acvpu", NEWS2_PAIN, NEWS2_ALERT, "responds only to pain" },
		{ "acvpu", NEWS2_UNRESPONSIVE, NEWS2_ALERT, "unresponsive" },
	};
	struct news2_readings	r;
	struct news2_result	res;
	char			buf[NEWS2_ADVICE_MAX];
	size_t			i;
	int			k, v;

	(void)state;
	for (i = 0; i < NITEMS(e); i++)
		for (k = 0; k < 2; k++) {
			v = k == 0 ? e[i].red : e[i].short_of;
			r = well();
			if (strcmp(e[i].field, "rr") == 0)
				r.respiratory_rate = v;
			else if (strcmp(e[i].field, "spo2") == 0)
				r.spo2 = v;
			else if (strcmp(e[i].field, "sbp") == 0)
				r.systolic_bp = v;
			else if (strcmp(e[i].field, "pulse") == 0)
				r.pulse = v;
			else if (strcmp(e[i].field, "temp") == 0)
				r.temperature_tenths = v;
			else
				r.consciousness = (enum news2_consciousness)v;
			score(&r, &res);
			memset(buf, 'x', sizeof buf);
			news2_red_words(&r, &res, buf, sizeof buf);
			assert_string_equal(buf, k == 0 ? e[i].words : "");
		}

	/* SpO2 on scale 2 scores 3 only on oxygen, and says so. */
	r = well();
	r.spo2_scale = 2;
	r.on_oxygen = 1;
	score(&r, &res);
	news2_red_words(&r, &res, buf, sizeof buf);
	assert_string_equal(buf, "oxygen saturation 97% on oxygen");
}

/* The scenario of issue 15: NEWS2 13 with new confusion names its three
 * 3s in the chart's order, and every one of six in the worst case; a
 * short buffer is cut, never overrun. */
static void
test_red_words_many(void **state)
{
	struct news2_readings	r = well();
	struct news2_result	res;
	char			buf[NEWS2_ADVICE_MAX], tiny[12];

	(void)state;
	r.respiratory_rate = 25;
	r.spo2 = 93;
	r.pulse = 135;
	r.consciousness = NEWS2_CONFUSION;
	r.temperature_tenths = 395;
	score(&r, &res);
	assert_int_equal(res.total, 13);
	news2_red_words(&r, &res, buf, sizeof buf);
	assert_string_equal(buf, "breathing rate 25, pulse 135, new confusion");

	r.spo2 = 91;
	r.on_oxygen = 1;
	r.systolic_bp = 88;
	r.consciousness = NEWS2_UNRESPONSIVE;
	r.temperature_tenths = 349;
	score(&r, &res);
	news2_red_words(&r, &res, buf, sizeof buf);
	assert_string_equal(buf, "breathing rate 25, oxygen saturation 91% "
	    "on oxygen, systolic blood pressure 88, pulse 135, unresponsive, "
	    "temperature 34.9");

	memset(tiny, 'x', sizeof tiny);
	news2_red_words(&r, &res, tiny, sizeof tiny);
	assert_string_equal(tiny, "breathing r");
	news2_red_words(&r, &res, tiny, 1);
	assert_string_equal(tiny, "");
}

/* The action of each band: the unit's instruction at 7 or more only. */
static void
test_action(void **state)
{
	static const char *const with[] = {
		"routine monitoring", "ward-based response",
		"urgent ward-based response", "urgent response",
		"emergency response: call 2222",
	};
	struct news2_result	res;
	char			buf[NEWS2_ADVICE_MAX];
	size_t			i;

	(void)state;
	memset(&res, 0, sizeof res);
	for (i = 0; i < NITEMS(with); i++) {
		res.band = (enum news2_band)i;
		news2_action(&res, "call 2222", buf, sizeof buf);
		assert_string_equal(buf, with[i]);
		news2_action(&res, "", buf, sizeof buf);
		assert_string_equal(buf, news2_response(res.band));
	}
}

/* What each score asks for: the 3s, the response, and the unit's own
 * instruction at 7 or more only (4, a red 3, 5, 6, 7 and 13), none when
 * the unit set none. */
static void
test_advice(void **state)
{
	static const struct {
		const char	*what;
		int		 rr, spo2, pulse, temp;
		enum news2_consciousness c;
		int		 total;
		const char	*with, *without;
	} e[] = {
		{ "0", 16, 97, 70, 370, NEWS2_ALERT, 0,
		    "routine monitoring", "routine monitoring" },
		{ "4", 21, 97, 111, 370, NEWS2_ALERT, 4,
		    "ward-based response", "ward-based response" },
		{ "a red 3", 16, 97, 70, 370, NEWS2_CONFUSION, 3,
		    "3 for new confusion; urgent ward-based response",
		    "3 for new confusion; urgent ward-based response" },
		{ "5", 21, 97, 111, 390, NEWS2_ALERT, 5,
		    "urgent response", "urgent response" },
		{ "6", 25, 97, 111, 385, NEWS2_ALERT, 6,
		    "3 for breathing rate 25; urgent response",
		    "3 for breathing rate 25; urgent response" },
		{ "7", 25, 97, 115, 395, NEWS2_ALERT, 7,
		    "3 for breathing rate 25; emergency response: call 2222",
		    "3 for breathing rate 25; emergency response" },
		{ "13", 25, 93, 135, 395, NEWS2_CONFUSION, 13,
		    "3 for breathing rate 25, pulse 135, new confusion; "
		    "emergency response: call 2222",
		    "3 for breathing rate 25, pulse 135, new confusion; "
		    "emergency response" },
	};
	struct news2_readings	r;
	struct news2_result	res;
	char			buf[NEWS2_ADVICE_MAX];
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(e); i++) {
		r = well();
		r.respiratory_rate = e[i].rr;
		r.spo2 = e[i].spo2;
		r.pulse = e[i].pulse;
		r.temperature_tenths = e[i].temp;
		r.consciousness = e[i].c;
		score(&r, &res);
		if (res.total != e[i].total)
			fail_msg("%s: scored %d", e[i].what, res.total);
		news2_advice(&r, &res, "call 2222", buf, sizeof buf);
		assert_string_equal(buf, e[i].with);
		news2_advice(&r, &res, "", buf, sizeof buf);
		assert_string_equal(buf, e[i].without);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_respiration),
		cmocka_unit_test(test_spo2_scale1),
		cmocka_unit_test(test_spo2_scale2_air),
		cmocka_unit_test(test_spo2_scale2_oxygen),
		cmocka_unit_test(test_air_or_oxygen),
		cmocka_unit_test(test_systolic),
		cmocka_unit_test(test_pulse),
		cmocka_unit_test(test_consciousness),
		cmocka_unit_test(test_temperature),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_red_parameter),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_consciousness_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_red_words_each),
		cmocka_unit_test(test_red_words_many),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_advice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
