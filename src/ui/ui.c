/*
 * ui.c: the console's life cycle and its event-loop watchers.
 *
 * It takes the terminal (curses) and gives it back, opens the screens and
 * overlays of the tables (ui-screens.c), reads keys (ui-keys.c decides who
 * gets them), handles the signals and times the redraws (ui-draw.c draws).
 * See ui.h for the timing rules. Terminal restoration on fatal paths is in
 * ui-term.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clock.h"
#include "ui-int.h"

int
ui_exit_code(const struct ui *ui)
{
	return UI_MGR_C(ui)->exit_code;
}

static void
ui_input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui_mgr	*mg = container_of(w, struct ui_mgr, input);
	int		 ch, n = 0, avail = 0;

	(void)loop;
	(void)revents;
	while (n < 64 && (ch = wgetch(stdscr)) != ERR) {
		if (mg->key_us == 0) {
			mg->key_us = clock_mono_us();
			mg->key_code = ch;
		}
		ui_key(mg, ch);
		n++;
	}
	/*
	 * Readable again and again with nothing to read: the terminal is
	 * gone (EOF, hangup). One empty wakeup alone proves nothing.
	 */
	if (n > 0 || ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 || avail > 0) {
		mg->empty_reads = 0;
		return;
	}
	if (++mg->empty_reads >= 3) {
		ui_log(&mg->ui, "stdin: end of input");
		ui_quit(mg, 128 + SIGHUP);
	}
}

/* --- loop watchers --- */

static void
ui_resize(struct ui_mgr *mg)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_layout(mg);
}

static void
ui_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ui_mgr	*mg = w->data;

	(void)loop;
	(void)revents;
	if (w->signum == SIGWINCH) {
		ui_resize(mg);
		return;
	}
	ui_log(&mg->ui, "signal %d: shutting down", w->signum);
	ui_quit(mg, 128 + w->signum);
}

static void
ui_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ui_mgr	*mg = container_of(w, struct ui_mgr, prepare);
	int64_t		 wait;

	(void)revents;
	if (!mg->dirty || !mg->running)
		return;
	wait = mg->last_draw_ms + mg->ui.cfg->refresh_ms - ui_now_ms(&mg->ui);
	if (mg->urgent || wait <= 0) {
		ui_redraw(mg);
		return;
	}
	if (!ev_is_active(&mg->throttle)) {
		ev_timer_set(&mg->throttle, (double)wait / 1000.0, 0.);
		ev_timer_start(loop, &mg->throttle);
	}
}

static void
ui_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	ui_mark_dirty(&container_of(w, struct ui_mgr, tick)->ui);
}

static void
ui_throttle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	/* Nothing: waking the loop runs ui_prepare_cb, which draws. */
}

/* --- life cycle --- */

struct ui *
ui_new(struct ev_loop *loop, const struct opts *o, const struct config *cfg,
    struct err *e)
{
	struct ui_mgr	*mg;
	struct ui	*ui;
	const char	*codeset, *name, *nc;

	if ((mg = calloc(1, sizeof *mg)) == NULL) {
		err_setc(e, EXIT_SOFTWARE, "out of memory");
		return NULL;
	}
	ui = &mg->ui;
	ui->loop = loop;
	ui->opts = o;
	ui->cfg = cfg;
	ui->selected = cfg->nmeters > 0 ? 0 : -1;
	mg->exit_code = EXIT_OK;

	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	ui->utf8 = !o->ascii && codeset != NULL &&
	    strcmp(codeset, "UTF-8") == 0;
	ui->g = widget_glyphs(ui->utf8);
	nc = getenv("NO_COLOR");
	ui->color = !o->no_color && (nc == NULL || *nc == '\0');

	theme_init(&ui->theme);
	name = o->theme != NULL ? o->theme :
	    cfg->theme != NULL ? cfg->theme : "default";
	if (theme_load_named(&ui->theme, paths_themes_dir(), name, e) == -1)
		goto fail;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_setc(e, EXIT_USAGE, "the console needs a terminal on stdin "
		    "and stdout (for a batch run use --export-csv)");
		goto fail;
	}
	if (o->log_path != NULL) {
		if ((mg->log = fopen(o->log_path, "a")) == NULL) {
			err_setc(e, EXIT_NOINPUT, "--log %s: %s", o->log_path,
			    strerror(errno));
			goto fail;
		}
		setvbuf(mg->log, NULL, _IOLBF, 0);
	}
	ui_log(ui, "start: codeset %s, utf8 %d, color %d, theme %s",
	    codeset != NULL ? codeset : "?", ui->utf8, ui->color,
	    ui->theme.path);
	return ui;
fail:
	ui_free(ui);
	return NULL;
}

static void
ui_signals_start(struct ui_mgr *mg)
{
	ev_signal	*sigs[4] = { &mg->sig_int, &mg->sig_term, &mg->sig_hup,
			    &mg->sig_winch };
	int		 nums[4] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH }, i;

	for (i = 0; i < 4; i++) {
		ev_signal_init(sigs[i], ui_signal_cb, nums[i]);
		sigs[i]->data = mg;
		ev_signal_start(mg->ui.loop, sigs[i]);
	}
}

/* Send stderr to the log, or to /dev/null, while curses runs. */
static void
ui_stderr_away(struct ui_mgr *mg)
{
	int	fd;

	if (mg->log != NULL) {
		ui_term_stderr_to(fileno(mg->log));
		return;
	}
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		ui_term_stderr_to(fd);
		close(fd);
	}
}

int
ui_start(struct ui *ui, struct engine *eng, struct err *e)
{
	struct ui_mgr	*mg = UI_MGR(ui);
	const char	*term;

	ui->engine = eng;
	ui_plan_classes(mg);
	signal(SIGPIPE, SIG_IGN);
	/* Ours before curses starts, so ncurses installs no SIGWINCH handler. */
	ui_signals_start(mg);
	ev_set_syserr_cb(ui_term_syserr_cb);
	ui_term_save();
	ui_stderr_away(mg);
	if ((mg->term = newterm(NULL, stdout, stdin)) == NULL) {
		ui_term_stderr_back();
		term = getenv("TERM");
		return err_setc(e, EXIT_USAGE, "cannot use the terminal "
		    "(TERM=%s)", term != NULL ? term : "(unset)");
	}
	ui_term_arm();
	mg->running = 1;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (ui->color && has_colors() && start_color() == OK) {
		use_default_colors();
	} else
		ui->color = 0;
	theme_apply(&ui->theme, ui->color);
	refresh();	/* stdscr is never drawn on, so wgetch never repaints it */
	ui_layout(mg);

	ui_tables_open(mg);
	mg->cur = mg->prev = 0;
	ui_show(ui, "fleet");

	ev_io_init(&mg->input, ui_input_cb, STDIN_FILENO, EV_READ);
	ev_io_start(ui->loop, &mg->input);
	ev_prepare_init(&mg->prepare, ui_prepare_cb);
	ev_prepare_start(ui->loop, &mg->prepare);
	ev_timer_init(&mg->tick, ui_tick_cb, 1., 1.);
	ev_timer_start(ui->loop, &mg->tick);
	ev_timer_init(&mg->throttle, ui_throttle_cb, 0., 0.);
	/* paint now: the loop's first turn runs every meter's first poll */
	ui_redraw(mg);
	return 0;
}

void
ui_stop(struct ui *ui)
{
	struct ui_mgr	*mg;

	if (ui == NULL)
		return;
	mg = UI_MGR(ui);
	ev_io_stop(ui->loop, &mg->input);
	ev_prepare_stop(ui->loop, &mg->prepare);
	ev_timer_stop(ui->loop, &mg->tick);
	ev_timer_stop(ui->loop, &mg->throttle);
	ev_signal_stop(ui->loop, &mg->sig_int);
	ev_signal_stop(ui->loop, &mg->sig_term);
	ev_signal_stop(ui->loop, &mg->sig_hup);
	ev_signal_stop(ui->loop, &mg->sig_winch);
	if (!mg->running)
		return;
	ui_tables_close(mg);
	if (mg->title != NULL)
		delwin(mg->title);
	if (ui->body != NULL)
		delwin(ui->body);
	if (mg->status != NULL)
		delwin(mg->status);
	mg->title = ui->body = mg->status = NULL;
	endwin();
	ui_term_disarm();
	ui_term_stderr_back();
	mg->running = 0;
	ui_log(ui, "stop: exit %d after %llu redraws", mg->exit_code,
	    (unsigned long long)mg->redraws);
}

void
ui_free(struct ui *ui)
{
	struct ui_mgr	*mg;

	if (ui == NULL)
		return;
	mg = UI_MGR(ui);
	ui_stop(ui);
	if (mg->term != NULL)
		delscreen(mg->term);
	if (mg->log != NULL)
		fclose(mg->log);
	free(mg);
}
