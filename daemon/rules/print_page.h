/* Text for a printer as a printable page: the one way the API answers
 * Accept: text/html for a summary, a letter or a sheet. */
#ifndef IDTSD_PRINT_PAGE_H
#define IDTSD_PRINT_PAGE_H

char	*print_page_html(const char *title, const char *text);

#endif
