/*
 * ui-view.c: what screens read through the console: the meters, the
 * selection, the clock, messages, and the view-model in the console's
 * terms. The rules themselves (staleness, the state word, a value's text)
 * are the model's (health.c); this only supplies the limits from the
 * engine's plan and bus views, and turns a state into a theme colour.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "pollplan.h"
#include "ui-int.h"

void
ui_log(const struct ui *ui, const char *fmt, ...)
{
	const struct ui_mgr	*mg = UI_MGR_C(ui);
	va_list			 ap;
	int64_t			 us;

	if (ui == NULL || mg->log == NULL)
		return;
	us = clock_mono_us();
	fprintf(mg->log, "%lld.%06lld ", (long long)(us / 1000000),
	    (long long)(us % 1000000));
	va_start(ap, fmt);
	vfprintf(mg->log, fmt, ap);
	va_end(ap);
	fputc('\n', mg->log);
}

int
ui_nmeters(const struct ui *ui)
{
	return ui->engine != NULL ? engine_nmeters(ui->engine) : 0;
}

const struct meter *
ui_meter_at(const struct ui *ui, int i)
{
	if (i < 0 || i >= ui_nmeters(ui))
		return NULL;
	return engine_meter(ui->engine, i);
}

const struct meter *
ui_meter(const struct ui *ui)
{
	return ui_meter_at(ui, ui->selected);
}

void
ui_select(struct ui *ui, int i)
{
	struct ui_mgr	*mg = UI_MGR(ui);

	if (i >= 0 && i < ui_nmeters(ui) && i != ui->selected) {
		ui->selected = i;
		mg->dirty = mg->urgent = 1;
	}
}

int64_t
ui_now_ms(const struct ui *ui)
{
	(void)ui;
	return clock_mono_ms();
}

attr_t
ui_attr(const struct ui *ui, enum theme_elem el)
{
	return theme_attr(&ui->theme, el);
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	struct ui_mgr	*mg = UI_MGR(ui);
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(mg->msg, sizeof mg->msg, fmt, ap);
	va_end(ap);
	mg->msg_until_ms = ui_now_ms(ui) + 4000;
	mg->dirty = mg->urgent = 1;
	ui_log(ui, "message: %s", mg->msg);
}

const char *
ui_fit(const struct ui *ui, char *buf, size_t len, const char *s, int cols)
{
	widget_fit(buf, len, s, cols, ui->utf8, ui->g->ellipsis);
	return buf;
}

void
ui_mark_dirty(struct ui *ui)
{
	UI_MGR(ui)->dirty = 1;
}

void
ui_cycle_cb(void *arg, const struct meter *m)
{
	(void)m;
	ui_mark_dirty(arg);
}

void
ui_identify_again(struct ui *ui)
{
	const struct meter	*m = ui_meter(ui);

	if (m == NULL) {
		ui_message(ui, "no meter selected: nothing to identify");
		return;
	}
	if (engine_reidentify(ui->engine, m->index) == -1) {
		ui_message(ui, "%s: cannot identify again", m->conf->label);
		return;
	}
	ui_message(ui, "identifying %s (%s/%d) again", m->conf->label,
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
}

const struct bus_view *
ui_meter_bus(const struct ui *ui, const struct meter *m)
{
	if (m == NULL || ui->engine == NULL || m->conf == NULL ||
	    m->conf->bus < 0 || m->conf->bus >= engine_nbuses(ui->engine))
		return NULL;
	return engine_bus(ui->engine, m->conf->bus);
}

int64_t
ui_stale_ms(const struct ui *ui, const struct meter *m)
{
	const struct bus_view	*bv = ui_meter_bus(ui, m);
	int64_t			 period = 1000, achieved = 0, timeout = 300;

	if (m != NULL && m->conf != NULL)
		period = m->conf->poll_ms;
	if (bv != NULL) {
		achieved = bv->achievable_ms;
		if (bv->conf != NULL)
			timeout = bv->conf->timeout_ms;
	}
	return health_limit_ms(period, achieved, timeout);
}

enum ui_poll
ui_reg_poll(const struct ui *ui, enum reg_id id)
{
	if ((int)id < 0 || id >= REG__COUNT)
		return UP_NONE;
	return (enum ui_poll)UI_MGR_C(ui)->reg_poll[id];
}

int64_t
ui_reg_stale_ms(const struct ui *ui, const struct meter *m, enum reg_id id)
{
	return health_reg_limit_ms((enum health_poll)ui_reg_poll(ui, id),
	    ui_stale_ms(ui, m), UI_MGR_C(ui)->slow_every_ms);
}

void
ui_plan_classes(struct ui_mgr *mg)
{
	const struct poll_plan	*p = engine_plan(mg->ui.engine);
	const struct {
		const struct poll_set	*set;
		enum ui_poll		 how;
	} sets[] = {
		{ &p->info, UP_IDENT }, { &p->magic, UP_IDENT },
		{ &p->name, UP_IDENT }, { &p->slow, UP_SLOW },
		{ &p->fast, UP_EVERY },	/* last: the most frequent wins */
	};
	size_t			 i;
	int			 r, k;

	memset(mg->reg_poll, UP_NONE, sizeof mg->reg_poll);
	mg->slow_every_ms = p->slow_every_ms;
	for (i = 0; i < sizeof sets / sizeof sets[0]; i++)
		for (r = 0; r < sets[i].set->nreq; r++)
			for (k = 0; k < sets[i].set->req[r].nids; k++)
				mg->reg_poll[sets[i].set->req[r].ids[k]] =
				    (unsigned char)sets[i].how;
}

enum reg_id
ui_reg_pick(const struct meter *m, enum reg_id a, enum reg_id b)
{
	const struct reg_sample	*sa, *sb;

	if (m == NULL)
		return a;
	sa = meter_get(m, a);
	sb = meter_get(m, b);
	if ((sa == NULL || sa->t_ms == 0) && sb != NULL && sb->t_ms != 0)
		return b;
	return a;
}

enum ui_val
ui_reg_text(const struct ui *ui, const struct meter *m, enum reg_id id,
    int shift, char *buf, size_t len, int64_t *age_ms)
{
	return (enum ui_val)health_reg_text(m, id, shift, ui_now_ms(ui),
	    ui_reg_stale_ms(ui, m, id), buf, len, age_ms);
}

int
ui_reg_stale(const struct ui *ui, const struct meter *m, enum reg_id id,
    int64_t age_ms)
{
	return health_stale(m, age_ms, ui_reg_stale_ms(ui, m, id));
}

int64_t
ui_meter_age_ms(const struct ui *ui, const struct meter *m)
{
	return health_age_ms(m, ui_now_ms(ui));
}

const char *
ui_val_mark(enum ui_val uv, char *buf, size_t len, int cols)
{
	char	tmp[128];

	if (uv != UV_STALE || len < 2)
		return buf;
	snprintf(tmp, sizeof tmp, "%s%s", UI_STALE_MARK, buf);
	if (cols <= 0 || widget_text_width(tmp) <= cols)
		snprintf(buf, len, "%s", tmp);
	return buf;
}

enum ui_health
ui_meter_health(const struct ui *ui, const struct meter *m, char *buf,
    size_t len)
{
	return (enum ui_health)health_state(m, ui_now_ms(ui),
	    ui_stale_ms(ui, m), buf, len);
}

enum theme_elem
ui_meter_state(const struct ui *ui, const struct meter *m, char *buf,
    size_t len)
{
	switch (ui_meter_health(ui, m, buf, len)) {
	case UH_OK:
		return TH_OK;
	case UH_MARKED:
	case UH_STALE:
		return TH_WARN;
	case UH_FAILING:
		return TH_ERROR;
	default:
		return TH_STALE;
	}
}
