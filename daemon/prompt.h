/* Asking a person at a terminal for a line or a secret (a PIN). */
#ifndef IDTSD_PROMPT_H
#define IDTSD_PROMPT_H

#include <stddef.h>
#include <stdio.h>

int	prompt_line(FILE *in, const char *prompt, char *buf, size_t size,
	    int secret);

#endif
