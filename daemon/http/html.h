/* Text in the HTML pages the daemon writes (the governance pack, the
 * Statement of Readiness). */
#ifndef IDTSD_HTML_H
#define IDTSD_HTML_H

#include <stdio.h>

void	html_text(FILE *, const char *);

#endif
