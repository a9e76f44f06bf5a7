/* Column-aligned tables.  Widths are counted in characters of UTF-8, not
 * bytes, so names with accents line up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "table.h"
#include "validate.h"

struct table {
	int	  columns;
	int	  rows;		/* including the header row */
	char	**cells;	/* rows * columns strings */
};

/* Display width of a UTF-8 string: its count of lead bytes. */
static int
table_width(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

struct table *
table_new(int columns, const char *const headers[])
{
	struct table	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	t->columns = columns;
	table_add(t, headers);
	return t;
}

/* A copy of a cell fit for a terminal: a character the daemon now
 * refuses in text (validate_char_refused(): a control a terminal would
 * obey, a bidirectional control, a line separator), which a database
 * from before may still hold, is written \uXXXX, and a byte that is not
 * UTF-8 '?'.  NULL if out of memory. */
static char *
table_cell(const char *s)
{
	char		*out;
	size_t		 i = 0, n;
	uint32_t	 c;

	if ((out = malloc(strlen(s) * 6 + 1)) == NULL)	/* \u0001 for 1 */
		return NULL;
	for (; *s != '\0'; s += n)
		if ((n = validate_utf8_char(s, &c)) == 0) {
			out[i++] = '?';
			n = 1;
		} else if (validate_char_refused(c))
			i += (size_t)sprintf(out + i, "\\u%04X", (unsigned)c);
		else {
			memcpy(out + i, s, n);
			i += n;
		}
	out[i] = '\0';
	return out;
}

/* Add a row; NULL cells print as "-". */
void
table_add(struct table *t, const char *const cells[])
{
	char	**grown;
	int	  i;

	grown = realloc(t->cells, sizeof *grown * (size_t)(t->rows + 1) *
	    (size_t)t->columns);
	if (grown == NULL)
		return;
	t->cells = grown;
	for (i = 0; i < t->columns; i++)
		t->cells[t->rows * t->columns + i] = table_cell(cells[i] ?
		    cells[i] : "-");
	t->rows++;
}

void
table_print(struct table *t, FILE *f)
{
	int	 width[TABLE_MAX_COLUMNS] = { 0 }, r, c, w;
	char	*cell;

	for (r = 0; r < t->rows; r++)
		for (c = 0; c < t->columns && c < TABLE_MAX_COLUMNS; c++) {
			w = table_width(t->cells[r * t->columns + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->rows; r++) {
		for (c = 0; c < t->columns && c < TABLE_MAX_COLUMNS; c++) {
			cell = t->cells[r * t->columns + c];
			if (c == t->columns - 1)
				fprintf(f, "%s", cell);
			else
				fprintf(f, "%s%*s  ", cell,
				    width[c] - table_width(cell), "");
		}
		fputc('\n', f);
	}
}

void
table_free(struct table *t)
{
	int	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->rows * t->columns; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* The bytes of text's first row when it is written over rows of width
 * columns and at most max bytes: cut after the last character that
 * fits, or at the last space before it when the text goes on (a word
 * longer than a row is broken where the row ends, never inside a
 * character).  A character that is none in the locale, or a control,
 * counts one column.  0 when not even one character fits.  The caller
 * writes those bytes, skips the spaces after them and cuts again. */
size_t
table_wrap_cut(const char *text, int width, size_t max)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, at = 0, space = 0, left = strlen(text);
	int		 used = 0, cw;

	memset(&st, 0, sizeof st);
	while (at < left) {
		n = mbrtowc(&wc, text + at, left - at, &st);
		if (n == 0)
			break;
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0)
			cw = 1;
		if (used + cw > width || at + n > max)
			break;
		if (text[at] == ' ')
			space = at;
		used += cw;
		at += n;
	}
	if (at < left && space > 0)
		return space;
	return at;
}
