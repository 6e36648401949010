/*
 * err.h: error messages that name the culprit.
 *
 * A caller owns a struct err and passes it down; the function that fails
 * writes one message there (file:line, key, value, option) and returns -1.
 * Nothing on the error path allocates. Only main.c decides to exit.
 */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

#ifndef UNUSED
#define UNUSED __attribute__((unused))
#endif

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* sysexits.h values used as exit codes (PRODUCT.md). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 64,	/* EX_USAGE */
	EXIT_NOINPUT = 66,	/* EX_NOINPUT: file or device cannot be opened */
	EXIT_UNAVAILABLE = 69,	/* EX_UNAVAILABLE: a meter never answered */
	EXIT_SOFTWARE = 70,	/* EX_SOFTWARE: internal error */
	EXIT_CONFIG = 78	/* EX_CONFIG */
};

struct err {
	char	msg[512];
	int	code;		/* exit code main.c should use, 0 if unset */
};

/* Set the message (printf format); returns -1 so callers can return it. */
int	err_set(struct err *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Same, and record the exit code to use. */
int	err_setc(struct err *, int code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Append ", item" (the item alone when buf is empty) to the NUL-terminated
 * list in buf of len bytes, truncating; for messages that name several
 * things ("bus a kept, bus b reopened").
 */
void	msg_list_add(char *buf, size_t len, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
