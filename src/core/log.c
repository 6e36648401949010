/*
 * log.c: the service's log on stderr (log.h). Under systemd, stderr is a
 * stream to journald (JOURNAL_STREAM names it), which reads a leading "<N>"
 * as the line's syslog priority (sd-daemon(3)); elsewhere lines carry the
 * program name like every other message of countis-tui. Where the log goes
 * is the caller's business: the console never uses this while curses runs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int	log_journal;
static int	log_verbose;
static int	log_fd = -1;	/* silent until log_init: curses owns stderr */

void
log_init(int verbose)
{
	const char	*js = getenv("JOURNAL_STREAM");

	log_journal = js != NULL && *js != '\0';
	log_verbose = verbose;
	log_fd = STDERR_FILENO;
}

/* Write one line with its prefix in one write(2), so threads never mix. */
static void
log_line(enum log_level level, const char *s, size_t n)
{
	char	line[1024];
	int	len;

	if (log_journal)
		len = snprintf(line, sizeof line, "<%d>%.*s\n", (int)level,
		    (int)n, s);
	else
		len = snprintf(line, sizeof line, "countis-tui: %.*s\n",
		    (int)n, s);
	if (len < 0 || log_fd == -1)
		return;
	if ((size_t)len >= sizeof line) {
		len = sizeof line - 1;
		line[len - 1] = '\n';
	}
	if (write(log_fd, line, (size_t)len) < 0)
		return;	/* nowhere left to say it */
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char		 buf[2048];
	const char	*p = buf;
	size_t		 n;
	va_list		 ap;

	if (level == LL_DEBUG && log_verbose < 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	do {
		n = strcspn(p, "\n");
		log_line(level, p, n);
		p += n;
	} while (*p++ != '\0');
}
