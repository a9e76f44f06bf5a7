/* Validation of the identifiers and strings people type: prison numbers,
 * usernames, PINs, names, UUIDs and quantities.  Pure. */
#ifndef IDTSD_VALIDATE_H
#define IDTSD_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#define PRISON_NUMBER_LEN	8	/* "A1234BC" and NUL */
#define UUID_STR_LEN		37
#define PIN_MIN_DIGITS		4
#define PIN_MAX_DIGITS		12
#define USERNAME_MAX		32
#define NHS_NUMBER_LEN		11	/* ten digits and NUL */
#define QUANTITY_MAX		INT64_C(1000000000000)	/* thousandths */

int	validate_prison_number(const char *in, char out[PRISON_NUMBER_LEN]);
int	validate_nhs_number(const char *in, char out[NHS_NUMBER_LEN]);
int	validate_username(const char *s);
int	validate_pin(const char *s);
int	validate_text(const char *s, size_t max_chars);
int	validate_char_refused(uint32_t c);
size_t	validate_utf8_char(const char *s, uint32_t *cp);
int	validate_uuid(const char *s);
void	validate_new_uuid(char out[UUID_STR_LEN]);
#define QUANTITY_TEXT_LEN	32
int	validate_quantity(double value, int64_t *thousandths);
void	validate_quantity_format(int64_t thousandths,
	    char buf[QUANTITY_TEXT_LEN]);
void	validate_utf8_repair(char *s);

#endif
