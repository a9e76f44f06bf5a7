/* Aligned text tables for people reading a terminal. */
#ifndef IDTS_TABLE_H
#define IDTS_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define TABLE_MAX_COLUMNS	12

struct table;

struct table	*table_new(int columns, const char *const headers[]);
void		 table_add(struct table *, const char *const cells[]);
void		 table_print(struct table *, FILE *);
void		 table_free(struct table *);

/* Text over rows of width columns (idtsctl's lines, idts-ward's screen):
 * the bytes of its first row, broken at the last space that fits. */
size_t		 table_wrap_cut(const char *text, int width, size_t max);

#endif
