/*
 * demo.c: countis-tui --demo. Start countis-sim on a pseudo-terminal in a
 * private temporary directory, serving six units (one with a reversed CT,
 * one dead, one foreign device, one with a V-N swap), write a configuration
 * for them, wait for the link to appear, run the console on it, then stop
 * the simulator and remove the directory. Needs no configuration and no
 * hardware.
 *
 * The simulator runs in its own process group (a ^C in the terminal is the
 * console's to handle) and gets SIGTERM if the console dies (prctl
 * PDEATHSIG). A signal that ends the console (SIGQUIT, SIGUSR1, ...) runs
 * ui-term.c's handler, which sends the simulator SIGTERM and removes the
 * temporary files.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "ui.h"

#define DEMO_WAIT_MS	10000	/* for the simulator's link to appear */

struct demo {
	char	 dir[256];
	char	 link[300], control[300], ini[300], log[300];
	pid_t	 sim;
};

/* The simulated site: unit, fault (NULL: healthy), label. */
static const struct {
	int		 unit;
	const char	*fault;
	const char	*name;
	const char	*label;
} demo_units[] = {
	{ 1, NULL, "incomer", "Main incomer" },
	{ 2, "2:reversed=2", "kitchen", "Kitchen (L2 CT reversed)" },
	{ 3, "3:dead", "workshop", "Workshop (not answering)" },
	{ 4, "4:foreign", "addr4", "Address 4 (other device)" },
	{ 5, "5:vn-swap=3", "lab", "Lab (V3-N swapped)" },
	{ 6, NULL, "offices", "Offices" },
};
#define DEMO_NUNITS	((int)(sizeof demo_units / sizeof demo_units[0]))

static void
demo_sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The simulator's command line. */
static void
demo_argv(struct demo *d, const char **argv, int max)
{
	int	i, n = 0;

	argv[n++] = paths_sim_binary();
	argv[n++] = "--pty";
	argv[n++] = d->link;
	argv[n++] = "--units";
	argv[n++] = "1-6";
	for (i = 0; i < DEMO_NUNITS && n < max - 8; i++) {
		if (demo_units[i].fault == NULL)
			continue;
		argv[n++] = "--fault";
		argv[n++] = demo_units[i].fault;
	}
	argv[n++] = "--control";
	argv[n++] = d->control;
	argv[n++] = "--seed";
	argv[n++] = "34";
	argv[n] = NULL;
}

/* Child side of the fork: never returns. Reports exec's errno on fd. */
static void
demo_child(struct demo *d, pid_t parent, int fd)
{
	const char	*argv[32];
	int		 log, null, e;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	null = open("/dev/null", O_RDONLY);
	log = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (null != -1)
		dup2(null, STDIN_FILENO);
	if (log != -1) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
	}
	demo_argv(d, argv, 32);
	execv(argv[0], (char *const *)argv);
	e = errno;
	if (write(fd, &e, sizeof e) == -1)
		_exit(127);
	_exit(127);
}

/* Start the simulator; returns 0, or -1 with e set. */
static int
demo_start_sim(struct demo *d, struct err *e)
{
	int	p[2], ce = 0;
	pid_t	parent = getpid();
	ssize_t	n;

	if (pipe2(p, O_CLOEXEC) == -1)
		return err_setc(e, EXIT_SOFTWARE, "pipe: %s", strerror(errno));
	if ((d->sim = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return err_setc(e, EXIT_SOFTWARE, "fork: %s", strerror(errno));
	}
	if (d->sim == 0)
		demo_child(d, parent, p[1]);
	close(p[1]);
	do {
		n = read(p[0], &ce, sizeof ce);
	} while (n == -1 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof ce) {
		waitpid(d->sim, NULL, 0);
		d->sim = -1;
		return err_setc(e, EXIT_UNAVAILABLE, "--demo: cannot run the "
		    "simulator %s: %s", paths_sim_binary(), strerror(ce));
	}
	ui_term_cleanup_child(d->sim);	/* stopped by a fatal signal too */
	return 0;
}

/* Wait for the pty link (with a deadline); notice a simulator that died. */
static int
demo_wait_link(struct demo *d, struct err *e)
{
	struct stat	st;
	int64_t		end = clock_mono_ms() + DEMO_WAIT_MS;
	int		status;

	for (;;) {
		if (stat(d->link, &st) == 0)
			return 0;
		if (waitpid(d->sim, &status, WNOHANG) == d->sim) {
			d->sim = -1;
			return err_setc(e, EXIT_UNAVAILABLE, "--demo: the "
			    "simulator ended before creating %s (see %s)",
			    d->link, d->log);
		}
		if (clock_mono_ms() > end)
			return err_setc(e, EXIT_UNAVAILABLE, "--demo: no link "
			    "%s after %d s", d->link, DEMO_WAIT_MS / 1000);
		demo_sleep_ms(20);
	}
}

static int
demo_write_config(struct demo *d, struct err *e)
{
	FILE	*f;
	int	 i;

	if ((f = fopen(d->ini, "w")) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "%s: %s", d->ini,
		    strerror(errno));
	fprintf(f, "; countis-tui --demo: simulated COUNTIS E34 meters "
	    "(countis-sim)\n[console]\nrefresh_ms = 500\n\n"
	    "[bus demo]\ntype = rtu\ndevice = %s\nbaud = 19200\n"
	    "parity = none\nstop_bits = 1\ntimeout_ms = 200\n", d->link);
	for (i = 0; i < DEMO_NUNITS; i++)
		fprintf(f, "\n[meter %s]\nbus = demo\naddress = %d\n"
		    "poll_ms = 2000\nlabel = %s\n", demo_units[i].name,
		    demo_units[i].unit, demo_units[i].label);
	if (fclose(f) != 0)
		return err_setc(e, EXIT_SOFTWARE, "%s: %s", d->ini,
		    strerror(errno));
	return 0;
}

/* Stop the simulator (TERM, then KILL after 3 s) and remove the files. */
static void
demo_cleanup(struct demo *d)
{
	int64_t	end;
	int	status;

	ui_term_cleanup_child(-1);	/* ours to stop now, not the handler's */
	if (d->sim > 0) {
		kill(d->sim, SIGTERM);
		end = clock_mono_ms() + 3000;
		while (waitpid(d->sim, &status, WNOHANG) == 0) {
			if (clock_mono_ms() > end) {
				kill(d->sim, SIGKILL);
				waitpid(d->sim, &status, 0);
				break;
			}
			demo_sleep_ms(10);
		}
		d->sim = -1;
	}
	unlink(d->ini);
	unlink(d->log);
	unlink(d->control);
	unlink(d->link);
	rmdir(d->dir);
	ui_term_forget_paths();
}

int
run_demo(const struct opts *o)
{
	struct demo	 d = { .sim = -1 };
	struct config	 cfg;
	struct err	 e = { .code = 0 };
	const char	*tmp = getenv("TMPDIR");
	int		 rc;

	config_init(&cfg);
	snprintf(d.dir, sizeof d.dir, "%s/countis-demo.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(d.dir) == NULL) {
		fprintf(stderr, "countis-tui: --demo: %s: %s\n", d.dir,
		    strerror(errno));
		return EXIT_SOFTWARE;
	}
	snprintf(d.link, sizeof d.link, "%s/link", d.dir);
	snprintf(d.control, sizeof d.control, "%s/control", d.dir);
	snprintf(d.ini, sizeof d.ini, "%s/demo.ini", d.dir);
	snprintf(d.log, sizeof d.log, "%s/sim.log", d.dir);
	ui_term_cleanup_path(d.dir, 1);		/* removed last */
	ui_term_cleanup_path(d.link, 0);
	ui_term_cleanup_path(d.control, 0);
	ui_term_cleanup_path(d.log, 0);
	ui_term_cleanup_path(d.ini, 0);
	if (demo_write_config(&d, &e) == -1 ||
	    demo_start_sim(&d, &e) == -1 || demo_wait_link(&d, &e) == -1 ||
	    config_load(&cfg, d.ini, &e) == -1) {
		demo_cleanup(&d);
		config_free(&cfg);
		fprintf(stderr, "countis-tui: %s\n", e.msg);
		return e.code != 0 ? e.code : EXIT_SOFTWARE;
	}
	rc = run_console(o, &cfg);
	demo_cleanup(&d);
	config_free(&cfg);
	return rc;
}
