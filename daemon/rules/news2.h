/* The National Early Warning Score 2 (Royal College of Physicians, 2017):
 * each parameter's score, the total, whether any single parameter scored
 * 3, and the clinical response band.  Readings outside what a living
 * person shows are refused, never guessed.  Pure. */
#ifndef IDTSD_NEWS2_H
#define IDTSD_NEWS2_H

#include <stddef.h>

#include "refusal.h"

enum news2_consciousness {
	NEWS2_ALERT,		/* A */
	NEWS2_CONFUSION,	/* C: new confusion */
	NEWS2_VOICE,		/* V */
	NEWS2_PAIN,		/* P */
	NEWS2_UNRESPONSIVE,	/* U */
};

/* The clinical response bands, in rising order. */
enum news2_band {
	NEWS2_BAND_ZERO,	/* 0 */
	NEWS2_BAND_LOW,		/* 1-4 */
	NEWS2_BAND_LOW_MEDIUM,	/* a single parameter scoring 3 */
	NEWS2_BAND_MEDIUM,	/* 5-6 */
	NEWS2_BAND_HIGH,	/* 7 or more */
};

struct news2_readings {
	int	respiratory_rate;	/* breaths a minute */
	int	spo2;			/* percent */
	int	spo2_scale;		/* 1, or 2 for hypercapnic failure */
	int	on_oxygen;		/* 0 air, 1 oxygen */
	int	systolic_bp;		/* mmHg */
	int	pulse;			/* beats a minute */
	enum news2_consciousness consciousness;
	int	temperature_tenths;	/* degrees Celsius x 10 */
};

/* The parameters, in the chart's order, for scores[] and red_parameter. */
enum news2_parameter {
	NEWS2_RESPIRATION,
	NEWS2_SPO2,
	NEWS2_AIR_OR_OXYGEN,
	NEWS2_SYSTOLIC_BP,
	NEWS2_PULSE,
	NEWS2_CONSCIOUSNESS,
	NEWS2_TEMPERATURE,
	NEWS2_NPARAMETERS,
};

struct news2_result {
	int		scores[NEWS2_NPARAMETERS];
	int		total;
	int		red;		/* some parameter scored 3 */
	enum news2_parameter red_parameter;	/* the first that did */
	enum news2_band	band;
};

int	news2_check(const struct news2_readings *, struct refusal *why);
void	news2_score(const struct news2_readings *, struct news2_result *);
const char *news2_band_name(enum news2_band);
const char *news2_parameter_name(enum news2_parameter);
int	news2_consciousness_parse(const char *, enum news2_consciousness *);
const char *news2_consciousness_name(enum news2_consciousness);
const char *news2_response(enum news2_band);

#define NEWS2_ADVICE_MAX	512	/* bytes, with an instruction of 200 */
void	news2_red_words(const struct news2_readings *,
	    const struct news2_result *, char *buf, size_t size);
void	news2_action(const struct news2_result *, const char *instruction,
	    char *buf, size_t size);
void	news2_advice(const struct news2_readings *,
	    const struct news2_result *, const char *instruction, char *buf,
	    size_t size);

#endif
