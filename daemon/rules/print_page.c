/* A printable page from text already laid out for a printer (the escort
 * summary, the discharge letter, the handover sheet): the text escaped
 * in a <pre>, an A4 print stylesheet, no script, so that what the page
 * prints is what the text says.  Served with a strict
 * Content-Security-Policy (http.c).  Pure. */
#include <stdio.h>
#include <stdlib.h>

#include "print_page.h"

/* The page's style: A4, monospaced as the text, for a printer. */
#define PRINT_PAGE_STYLE "@page{size:A4;margin:15mm}" \
	"body{font:11pt/1.35 monospace;color:#000;background:#fff}" \
	"pre{white-space:pre-wrap;margin:0}"

/* Text in HTML: markup characters as entities. */
static void
print_page_escape(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

/* The page of text, titled title; NULL if out of memory.  The caller
 * frees it. */
char *
print_page_html(const char *title, const char *text)
{
	char	*page = NULL;
	size_t	 len;
	FILE	*f;

	if ((f = open_memstream(&page, &len)) == NULL)
		return NULL;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head>"
	    "<meta charset=\"utf-8\"><title>");
	print_page_escape(f, title);
	fprintf(f, "</title><style>%s</style></head>\n<body><pre>",
	    PRINT_PAGE_STYLE);
	print_page_escape(f, text);
	fprintf(f, "</pre></body></html>\n");
	if (fclose(f) != 0) {
		free(page);
		return NULL;
	}
	return page;
}
