/* Amounts of a drug: a quantity in thousandths of a unit, and the active
 * amount a measure holds (30 ml of 1 mg per ml is 30 mg).  Integers
 * only, never floating point (docs/design.md, quantities).  Pure. */
#ifndef IDTSD_AMOUNT_H
#define IDTSD_AMOUNT_H

#include <stdint.h>

#include <jansson.h>

#define AMOUNT_UNIT_MAX		16	/* characters: ml, mg, micrograms */
#define AMOUNT_TEXT_LEN		128	/* "30 ml (30 mg)" at the longest */

/* So many thousandths of a unit: 60 mg, or a strength's 1 mg per one. */
struct amount {
	int64_t	quantity;
	char	unit[AMOUNT_UNIT_MAX * 4 + 1];
};

int	amount_active(int64_t measure, const struct amount *per_unit,
	    struct amount *out);
int	amount_parse(const char *text, struct amount *out);
int	amount_same_unit(const char *, const char *);
void	amount_format(const struct amount *, char buf[AMOUNT_TEXT_LEN]);
void	amount_dose_text(int64_t measure, const char *unit,
	    const struct amount *per_unit, char buf[AMOUNT_TEXT_LEN]);
int	amount_json_text(const json_t *measure, const char *unit,
	    const json_t *active, char buf[AMOUNT_TEXT_LEN]);

#endif
