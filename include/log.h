/*
 * log.h: the service's log on stderr (--headless). One line per message,
 * "countis-tui: " then the text; when stderr is the journal (systemd sets
 * JOURNAL_STREAM), each line starts with its syslog level instead ("<3>",
 * "<4>", "<6>", "<7>") so journald files it at that priority. Safe from any
 * thread (one write(2) per line). Until log_init is called nothing is
 * written: the console, whose screen is stderr's terminal, never calls it.
 */
#ifndef LOG_H
#define LOG_H

enum log_level {
	LL_ERR = 3,
	LL_WARN = 4,
	LL_INFO = 6,
	LL_DEBUG = 7
};

/* Decide once how lines are prefixed; verbose >= 1 lets LL_DEBUG through. */
void	log_init(int verbose);
/* Log one message; embedded newlines give one prefixed line each. */
void	log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
