/*
 * ui-int.h: the screen manager's own state, shared by its files only:
 * ui.c (life cycle, watchers), ui-screens.c (the tables, switching),
 * ui-keys.c (who gets a key), ui-draw.c (title and status lines, the
 * redraw) and ui-view.c (the view-model accessors). Screens and overlays
 * never include it: they see screen.h.
 */
#ifndef UI_INT_H
#define UI_INT_H

#include <stdint.h>
#include <stdio.h>

#include "screen.h"

#define UI_MAX_SCREENS	16
#define UI_MAX_OVERLAYS	8

struct ui_mgr {
	struct ui		 ui;		/* what screens see: first */
	FILE			*log;		/* --log FILE, or NULL */

	int			 cur;		/* index into the screen table */
	int			 prev;		/* screen to return to */
	void			*state[UI_MAX_SCREENS];
	void			*ov_state[UI_MAX_OVERLAYS];

	int			 running;	/* curses owns the terminal */
	int			 dirty;		/* something changed */
	int			 urgent;	/* a key: redraw now */
	int64_t			 last_draw_ms;
	int64_t			 key_us;	/* when the pending key came */
	int			 key_code;
	int			 empty_reads;	/* readable, nothing read */
	uint64_t		 redraws;
	SCREEN			*term;		/* from newterm */
	WINDOW			*title, *status;
	char			 msg[200];	/* transient status message */
	int64_t			 msg_until_ms;
	int			 exit_code;
	/* How the engine reads each register (enum ui_poll), from its plan. */
	unsigned char		 reg_poll[REG__COUNT];
	int			 slow_every_ms;

	ev_io			 input;
	ev_signal		 sig_int, sig_term, sig_hup, sig_winch;
	ev_prepare		 prepare;
	ev_timer		 tick;		/* ages and clock: every second */
	ev_timer		 throttle;	/* wakes the loop for a late redraw */
};

#define UI_MGR(u)	container_of((u), struct ui_mgr, ui)
#define UI_MGR_C(u)	((const struct ui_mgr *)(const void *)(u))

/* ui-screens.c: the tables and switching. */
/* Overlay i is there: it has no state, or its open() gave one. */
#define UI_OVERLAY_LIVE(mg, i)	\
	(ui_overlays[i]->open == NULL || (mg)->ov_state[i] != NULL)
extern const struct screen_ops *const ui_screens[];
extern const int	 ui_nscreens_;
extern const struct overlay_ops *const ui_overlays[];
extern const int	 ui_noverlays_;
void		 ui_switch(struct ui_mgr *, int i);
/* The screen after (dir 1) or before (dir -1) the current, wrapping. */
int		 ui_screen_step(const struct ui_mgr *, int dir);
/* Open and close every screen's and overlay's private state. */
void		 ui_tables_open(struct ui_mgr *);
void		 ui_tables_close(struct ui_mgr *);

/* ui-view.c: note how the engine's plan reads each register. */
void		 ui_plan_classes(struct ui_mgr *);

/* ui-keys.c */
void		 ui_key(struct ui_mgr *, int ch);
void		 ui_quit(struct ui_mgr *, int code);

/* ui-draw.c */
void		 ui_layout(struct ui_mgr *);
int		 ui_too_small(const struct ui_mgr *);
void		 ui_redraw(struct ui_mgr *);

#endif
