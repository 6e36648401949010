/*
 * ui-term.c: give the terminal back whatever ends the program.
 *
 * Normal ends (q, SIGINT, SIGTERM, SIGHUP) run ui_stop() and endwin(). Any
 * other signal whose default action ends the process (SIGQUIT from ^\,
 * SIGUSR1, SIGALRM, the real-time signals, a fatal SIGSEGV...: the list is
 * term_end_signals) cannot call endwin(): its handler writes the reset
 * sequence prepared when curses started (leave the alternate screen, show
 * the cursor, plain attributes, keypad off), restores the termios saved
 * before curses, stops --demo's simulator and removes its temporary files,
 * and raises the signal again with the default action, so the exit status
 * still tells which signal it was. libev's fatal-error callback and exit()
 * go through the same reset.
 *
 * This is the one place with file-scope mutable state: a signal handler
 * has no other way to reach it (STYLE.md §5 allows nothing else).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "ui.h"

#define TERM_MAX_PATHS	8

static struct {
	volatile sig_atomic_t	 armed;
	int			 saved_ok;
	struct termios		 saved;
	char			 reset[256];
	size_t			 reset_len;
	struct {
		char		 path[512];
		int		 dir;
	}			 paths[TERM_MAX_PATHS];
	volatile sig_atomic_t	 npaths;
	volatile pid_t		 child;		/* --demo's simulator, or -1 */
	int			 stderr_fd;	/* saved fd 2, or -1 */
	int			 atexit_done;
	int			 handlers_done;
} term = { .stderr_fd = -1, .child = -1 };

/*
 * Every signal whose default action ends the process (signal(7): Term and
 * Core), except those the console handles itself through libev (SIGINT,
 * SIGTERM, SIGHUP: ui.c) or ignores (SIGPIPE). SIGKILL cannot be caught.
 * The real-time signals are added in term_install.
 */
static const int term_end_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT, SIGTRAP, SIGSYS,
	SIGXCPU, SIGXFSZ, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
	SIGIO, SIGPWR,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

/* Write the reset and the saved termios: async-signal-safe calls only. */
static void
term_reset_raw(void)
{
	ssize_t	n;
	size_t	off = 0;

	while (off < term.reset_len) {
		n = write(STDOUT_FILENO, term.reset + off, term.reset_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (term.saved_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &term.saved);
}

static void
term_remove_paths(void)
{
	int	i;

	for (i = term.npaths - 1; i >= 0; i--) {
		if (term.paths[i].dir)
			rmdir(term.paths[i].path);
		else
			unlink(term.paths[i].path);
	}
	term.npaths = 0;
}

static void
term_fatal(int sig)
{
	int	saved_errno = errno;

	if (term.armed) {
		term.armed = 0;
		term_reset_raw();
	}
	if (term.stderr_fd != -1)
		dup2(term.stderr_fd, STDERR_FILENO);
	if (term.child > 0)
		kill(term.child, SIGTERM);
	term_remove_paths();
	errno = saved_errno;
	raise(sig);	/* SA_RESETHAND: the default action, once we return */
}

static void
term_atexit(void)
{
	if (term.armed) {
		term.armed = 0;
		endwin();
		if (term.saved_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &term.saved);
	}
	ui_term_stderr_back();
	term_remove_paths();
}

/*
 * Catch sig, unless it was ignored when the console started (nohup, a
 * parent's `trap "" XFSZ`): a signal ignored on entry stays ignored, so
 * a size limit makes a write fail with EFBIG (the recording holds its
 * rows) instead of ending the console.
 */
static void
term_catch(int sig, const struct sigaction *sa)
{
	struct sigaction	old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

static void
term_install(void)
{
	struct sigaction	sa;
	size_t			i;
	int			sig;

	if (term.handlers_done)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof term_end_signals / sizeof term_end_signals[0];
	    i++)
		term_catch(term_end_signals[i], &sa);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		term_catch(sig, &sa);
	term.handlers_done = 1;
	if (!term.atexit_done) {
		atexit(term_atexit);
		term.atexit_done = 1;
	}
}

void
ui_term_save(void)
{
	term.saved_ok = tcgetattr(STDIN_FILENO, &term.saved) == 0;
	term_install();
}

/* Append terminfo capability cap to the reset sequence. */
static void
term_add_cap(const char *cap)
{
	char	*s = tigetstr(cap);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (term.reset_len + n >= sizeof term.reset)
		return;
	memcpy(term.reset + term.reset_len, s, n);
	term.reset_len += n;
}

void
ui_term_arm(void)
{
	term.reset_len = 0;
	term_add_cap("sgr0");
	term_add_cap("cnorm");
	term_add_cap("rmkx");
	term_add_cap("rmcup");
	term_install();
	term.armed = 1;
}

void
ui_term_disarm(void)
{
	term.armed = 0;
}

void
ui_term_cleanup_path(const char *path, int dir)
{
	int	n = term.npaths;

	if (n >= TERM_MAX_PATHS)
		return;
	snprintf(term.paths[n].path, sizeof term.paths[n].path, "%s", path);
	term.paths[n].dir = dir;
	term.npaths = n + 1;
	term_install();
}

void
ui_term_cleanup_child(pid_t pid)
{
	term.child = pid;
	term_install();
}

void
ui_term_forget_paths(void)
{
	term.child = -1;
	term.npaths = 0;
}

int
ui_term_stderr_to(int fd)
{
	if (term.stderr_fd == -1 &&
	    (term.stderr_fd = dup(STDERR_FILENO)) == -1)
		return -1;
	fflush(stderr);
	return dup2(fd, STDERR_FILENO) == -1 ? -1 : 0;
}

void
ui_term_stderr_back(void)
{
	if (term.stderr_fd == -1)
		return;
	fflush(stderr);
	dup2(term.stderr_fd, STDERR_FILENO);
	close(term.stderr_fd);
	term.stderr_fd = -1;
}

void
ui_term_syserr_cb(const char *msg)
{
	int	saved_errno = errno;

	if (term.armed) {
		term.armed = 0;
		endwin();
		if (term.saved_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &term.saved);
	}
	ui_term_stderr_back();
	fprintf(stderr, "countis-tui: event loop: %s: %s\n",
	    msg != NULL ? msg : "error", strerror(saved_errno));
	term_remove_paths();
	abort();
}
