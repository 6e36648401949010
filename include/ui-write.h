/*
 * ui-write.h: the guarded writes of the console, tariff and clock, as a
 * piece a screen embeds. With writes = off a write key says why nothing
 * happens and sends nothing (the engine is not even asked). With writes =
 * on it opens an on-screen confirmation that names the meter (label,
 * bus/address) and the value; only 'y' sends, through engine_write_tariff or
 * engine_write_clock (which guard again: never unit 0, never the reset
 * registers). The outcome shows on the status line and in the last-result
 * text.
 */
#ifndef UI_WRITE_H
#define UI_WRITE_H

#include <curses.h>

#include "screen.h"

#define UI_WRITE_KEY_TARIFF	't'
#define UI_WRITE_KEY_CLOCK	'C'

struct ui;
struct ui_write_req;

enum ui_write_step {
	UW_IDLE,
	UW_PICK_TARIFF,		/* waiting for 1..4 */
	UW_CONFIRM_TARIFF,	/* waiting for y */
	UW_CONFIRM_CLOCK	/* waiting for y */
};

struct ui_write {
	struct ui		*ui;
	enum ui_write_step	 step;
	int			 meter;		/* index the prompt names */
	int			 tariff;	/* 1..4 once picked */
	int			 sent;		/* writes sent */
	char			 result[200];	/* last outcome, "" none */
	struct ui_write_req	*pending;	/* the write in flight */
};

void	ui_write_init(struct ui_write *, struct ui *);
/* Forget a write in flight (its answer is then only logged). */
void	ui_write_release(struct ui_write *);
/*
 * t / C start a write for the selected meter; while a prompt is open every
 * key goes here (SCREEN_HANDLED). Others: SCREEN_IGNORED.
 */
enum screen_key ui_write_key(struct ui_write *, int ch);
/* The open prompt as a framed box in the middle of win; 0 when none. */
int	ui_write_draw(struct ui_write *, WINDOW *);
/* 1 while a prompt is open. */
int	ui_write_open(const struct ui_write *);

#endif
