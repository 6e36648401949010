/*
 * export-csv.c: the CSV writer (see export-csv.h). Formats rows from the
 * model (struct meter) and writes them atomically or row by row. Which
 * meters are polled when is the engine's business; this only writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic-file.h"
#include "csv.h"
#include "regdecode.h"
#include "regmap.h"

/*
 * The value columns after response_ms, in PRODUCT.md order. shift converts
 * the register's unit (W to kW: -3); decimals follow from the scale.
 * tariff is special: REG_TARIFF_ACTIVE_B, else REG_TARIFF_ACTIVE.
 */
static const struct csv_col {
	const char	*name;
	enum reg_id	 id;
	int		 shift;
} csv_cols[] = {
	{ "ea_total_kwh", REG_EA_PLUS_TOTAL_10WH, 0 },
	{ "ea_t1_kwh", REG_EA_PLUS_T1_10WH, 0 },
	{ "ea_t2_kwh", REG_EA_PLUS_T2_10WH, 0 },
	{ "ea_t3_kwh", REG_EA_PLUS_T3_10WH, 0 },
	{ "ea_t4_kwh", REG_EA_PLUS_T4_10WH, 0 },
	{ "tariff", REG_TARIFF_ACTIVE_B, 0 },
	{ "p_kw", REG_P, -3 },
	{ "q_kvar", REG_Q, -3 },
	{ "s_kva", REG_S, -3 },
	{ "pf", REG_PF, 0 },
	{ "v1_v", REG_V1, 0 },
	{ "v2_v", REG_V2, 0 },
	{ "v3_v", REG_V3, 0 },
	{ "u12_v", REG_U12, 0 },
	{ "u23_v", REG_U23, 0 },
	{ "u31_v", REG_U31, 0 },
	{ "i1_a", REG_I1, 0 },
	{ "i2_a", REG_I2, 0 },
	{ "i3_a", REG_I3, 0 },
	{ "in_a", REG_IN, 0 },
	{ "f_hz", REG_F, 0 },
	{ "p1_kw", REG_P1, -3 },
	{ "p2_kw", REG_P2, -3 },
	{ "p3_kw", REG_P3, -3 },
	{ "pf1", REG_PF1, 0 },
	{ "pf2", REG_PF2, 0 },
	{ "pf3", REG_PF3, 0 },
	{ "er_total_kvarh", REG_ER_PLUS_TOTAL_10VARH, 0 },
};

static const char *const csv_lead[] = {
	"timestamp", "meter", "bus", "address", "status", "response_ms"
};

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

struct csv_writer {
	char		*path;		/* as given */
	char		*tmp;		/* CSV_ATOMIC: the temporary file */
	FILE		*fp;		/* CSV_ATOMIC and stdout */
	int		 fd;		/* CSV_APPEND */
	enum csv_mode	 mode;
	enum csv_dialect dialect;
	int		 is_stdout;
	int		 failed;
	int		 had_data;	/* CSV_APPEND: the file was not empty */
	int		 unique;	/* csv_open_new: never replace a file */
	unsigned long	 rows;
};

#define CSV_PATH_MAX	4200	/* csv_open_new's path buffer */

/* The --csv-dialect and csv_dialect words, for the command line and the ini. */
static const char *const csv_dialect_words[] = {
	[CSV_RFC4180] = "rfc4180",
	[CSV_EXCEL_EU] = "excel-eu"
};

int
csv_dialect_parse(const char *word, enum csv_dialect *d)
{
	size_t	i;

	for (i = 0; i < NITEMS(csv_dialect_words); i++)
		if (strcmp(word, csv_dialect_words[i]) == 0) {
			*d = (enum csv_dialect)i;
			return 0;
		}
	return -1;
}

const char *
csv_dialect_name(enum csv_dialect d)
{
	return (size_t)d < NITEMS(csv_dialect_words) ? csv_dialect_words[d] :
	    "rfc4180";
}

/* Append text to buf at *off; -1 when it does not fit. */
static int
csv_put(char *buf, size_t len, size_t *off, const char *s, size_t n)
{
	if (*off + n >= len)
		return -1;
	memcpy(buf + *off, s, n);
	*off += n;
	buf[*off] = '\0';
	return 0;
}

/* A text field, quoted per RFC 4180 when it holds sep, '"', CR or LF. */
static int
csv_put_text(char *buf, size_t len, size_t *off, const char *s, char sep)
{
	const char	*p;

	if (strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL)
		return csv_put(buf, len, off, s, strlen(s));
	if (csv_put(buf, len, off, "\"", 1) == -1)
		return -1;
	for (p = s; *p != '\0'; p++)
		if (csv_put(buf, len, off, p, 1) == -1 ||
		    (*p == '"' && csv_put(buf, len, off, "\"", 1) == -1))
			return -1;
	return csv_put(buf, len, off, "\"", 1);
}

int
csv_format_header(char *buf, size_t len, enum csv_dialect d)
{
	char	sep = d == CSV_EXCEL_EU ? ';' : ',';
	size_t	off = 0, i;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < NITEMS(csv_lead); i++)
		if ((i > 0 && csv_put(buf, len, &off, &sep, 1) == -1) ||
		    csv_put(buf, len, &off, csv_lead[i],
		    strlen(csv_lead[i])) == -1)
			return -1;
	for (i = 0; i < NITEMS(csv_cols); i++)
		if (csv_put(buf, len, &off, &sep, 1) == -1 ||
		    csv_put(buf, len, &off, csv_cols[i].name,
		    strlen(csv_cols[i].name)) == -1)
			return -1;
	if (csv_put(buf, len, &off, "\n", 1) == -1)
		return -1;
	return (int)off;
}

/* The sample of id when it was read in m's last cycle and is valid. */
static const struct reg_sample *
csv_fresh(const struct meter *m, enum reg_id id)
{
	const struct reg_sample	*s = meter_get(m, id);

	if (s == NULL || s->t_ms == 0 || s->t_ms != m->last_cycle_ms ||
	    !s->v.valid)
		return NULL;
	return s;
}

int
csv_value_count(void)
{
	return (int)NITEMS(csv_cols);
}

const char *
csv_value_name(int i)
{
	return i >= 0 && i < (int)NITEMS(csv_cols) ? csv_cols[i].name : NULL;
}

/* Value column i of m's last cycle: exact decimals, or "" (returns 0). */
int
csv_format_value(char *buf, size_t len, const struct meter *m, int i,
    char dec)
{
	const struct reg_sample	*s;
	const struct reg_def	*d;
	enum reg_id		 id;

	if (len == 0 || i < 0 || i >= (int)NITEMS(csv_cols))
		return -1;
	buf[0] = '\0';
	id = csv_cols[i].id;
	if (m->status == MS_NOT_E34)
		return 0;
	s = csv_fresh(m, id);
	if (s == NULL && id == REG_TARIFF_ACTIVE_B) {
		id = REG_TARIFF_ACTIVE;
		s = csv_fresh(m, id);
	}
	if (s == NULL)
		return 0;
	d = regmap_get(id);
	return fmt_fixed(buf, len, s->v.raw,
	    (d->has_scale ? d->scale_exp : 0) + csv_cols[i].shift, dec);
}

/* One value field: exact decimals, or nothing. */
static int
csv_put_value(char *buf, size_t len, size_t *off, const struct meter *m,
    size_t i, char dec)
{
	char	num[48];
	int	n;

	if ((n = csv_format_value(num, sizeof num, m, (int)i, dec)) < 0)
		return -1;
	return csv_put(buf, len, off, num, (size_t)n);
}

int
csv_format_time(char *buf, size_t len, int64_t wall_ms)
{
	struct tm	tm;
	time_t		t = (time_t)(wall_ms / 1000);
	int		n;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
csv_format_row(char *buf, size_t len, const struct meter *m,
    const struct bus_conf *b, enum csv_dialect d)
{
	char		 sep = d == CSV_EXCEL_EU ? ';' : ',';
	char		 dec = d == CSV_EXCEL_EU ? ',' : '.';
	char		 tmp[64], st[32];
	size_t		 off = 0, i;
	int		 n;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if ((n = csv_format_time(tmp, sizeof tmp, m->last_cycle_wall_ms)) < 0)
		return -1;
	if (csv_put(buf, len, &off, tmp, (size_t)n) == -1 ||
	    csv_put(buf, len, &off, &sep, 1) == -1 ||
	    csv_put_text(buf, len, &off, m->conf->name, sep) == -1 ||
	    csv_put(buf, len, &off, &sep, 1) == -1 ||
	    csv_put_text(buf, len, &off, b->name, sep) == -1)
		return -1;
	n = snprintf(tmp, sizeof tmp, "%c%d%c%s%c", sep, m->conf->address,
	    sep, meter_status_word(m, st, sizeof st), sep);
	if (csv_put(buf, len, &off, tmp, (size_t)n) == -1)
		return -1;
	if (m->last_response_ms > 0) {	/* 0: no answer in the cycle */
		n = snprintf(tmp, sizeof tmp, "%u", m->last_response_ms);
		if (csv_put(buf, len, &off, tmp, (size_t)n) == -1)
			return -1;
	}
	for (i = 0; i < NITEMS(csv_cols); i++)
		if (csv_put(buf, len, &off, &sep, 1) == -1 ||
		    csv_put_value(buf, len, &off, m, i, dec) == -1)
			return -1;
	if (csv_put(buf, len, &off, "\n", 1) == -1)
		return -1;
	return (int)off;
}

static int
csv_open_atomic(struct csv_writer *w, struct err *e)
{
	size_t	n = strlen(w->path) + 16;

	if ((w->tmp = malloc(n)) == NULL)
		return err_setc(e, EXIT_NOINPUT, "%s: %s", w->path,
		    strerror(ENOMEM));
	if ((w->fp = atomic_tmp_open(w->path, w->tmp, n, 0666)) == NULL) {
		err_setc(e, EXIT_NOINPUT, "%s: %s", w->path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return -1;
	}
	return 0;
}

/* A writer with nothing open yet; its path buffer holds CSV_PATH_MAX. */
static struct csv_writer *
csv_alloc(const char *path, enum csv_mode mode, enum csv_dialect d,
    struct err *e)
{
	struct csv_writer	*w;

	if (strlen(path) >= CSV_PATH_MAX) {
		err_setc(e, EXIT_NOINPUT, "%.200s...: %s", path,
		    strerror(ENAMETOOLONG));
		return NULL;
	}
	if ((w = calloc(1, sizeof *w)) == NULL ||
	    (w->path = calloc(1, CSV_PATH_MAX)) == NULL) {
		free(w);
		err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	memcpy(w->path, path, strlen(path) + 1);
	w->mode = mode;
	w->dialect = d;
	w->fd = -1;
	return w;
}

struct csv_writer *
csv_open(const char *path, enum csv_mode mode, enum csv_dialect d,
    struct err *e)
{
	struct csv_writer	*w;
	struct stat		 sb;

	if ((w = csv_alloc(path, mode, d, e)) == NULL)
		return NULL;
	if (strcmp(path, "-") == 0) {
		w->is_stdout = 1;
		w->fp = stdout;
		return w;
	}
	/*
	 * A device or a FIFO (/dev/null, /dev/stdout, a pipe) cannot be
	 * replaced by a rename: write to it directly.
	 */
	if (mode == CSV_ATOMIC && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode)) {
			err_setc(e, EXIT_NOINPUT, "%s: %s", path,
			    strerror(EISDIR));
			goto fail;
		}
		mode = w->mode = CSV_APPEND;
	}
	if (mode == CSV_ATOMIC) {
		if (csv_open_atomic(w, e) == 0)
			return w;
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0666);
		if (w->fd != -1) {
			w->had_data = fstat(w->fd, &sb) == 0 && sb.st_size > 0;
			return w;
		}
		err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(errno));
	}
fail:
	free(w->tmp);
	free(w->path);
	free(w);
	return NULL;
}

/* Write one formatted line the way the mode wants. */
static int
csv_write(struct csv_writer *w, const char *line, size_t n, struct err *e)
{
	ssize_t	r;
	size_t	done = 0;

	if (w->failed)
		return err_set(e, "%s: an earlier write failed", w->path);
	if (w->fp != NULL) {
		if (fwrite(line, 1, n, w->fp) != n ||
		    (w->is_stdout && fflush(w->fp) == EOF))
			goto fail;
		return 0;
	}
	while (done < n) {
		r = write(w->fd, line + done, n - done);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			goto fail;
		done += (size_t)r;
	}
	if (fdatasync(w->fd) == -1 && errno != EINVAL)
		goto fail;
	return 0;
fail:
	w->failed = 1;
	return err_set(e, "%s: %s", w->is_stdout ? "stdout" : w->path,
	    strerror(errno));
}

int
csv_header(struct csv_writer *w, struct err *e)
{
	char	line[CSV_ROW_MAX];
	int	n;

	if (w->mode == CSV_APPEND && w->had_data)
		return 0;
	n = csv_format_header(line, sizeof line, w->dialect);
	if (n < 0)
		return err_set(e, "%s: header too long", w->path);
	return csv_write(w, line, (size_t)n, e);
}

int
csv_row(struct csv_writer *w, const struct meter *m, const struct bus_conf *b,
    struct err *e)
{
	char	line[CSV_ROW_MAX];
	int	n;

	n = csv_format_row(line, sizeof line, m, b, w->dialect);
	if (n < 0)
		return err_set(e, "%s: row for meter %s too long", w->path,
		    m->conf->name);
	if (csv_write(w, line, (size_t)n, e) == -1)
		return -1;
	w->rows++;
	return 0;
}

unsigned long
csv_rows(const struct csv_writer *w)
{
	return w->rows;
}

static void
csv_free(struct csv_writer *w)
{
	free(w->tmp);
	free(w->path);
	free(w);
}

int
csv_finish(struct csv_writer *w, char *path, size_t len, struct err *e)
{
	int	rc = 0, saved;

	if (w == NULL)
		return 0;
	if (w->is_stdout) {
		if (fflush(stdout) == EOF)
			rc = err_set(e, "stdout: %s", strerror(errno));
	} else if (w->mode == CSV_APPEND) {
		if (close(w->fd) == -1)
			rc = err_set(e, "%s: %s", w->path, strerror(errno));
	} else {
		if (fflush(w->fp) == EOF || fsync(fileno(w->fp)) == -1) {
			saved = errno;
			fclose(w->fp);
			rc = err_set(e, "%s: %s (partial output kept in %s)",
			    w->path, strerror(saved), w->tmp);
		} else if (fclose(w->fp) == EOF || w->failed) {
			rc = err_set(e, "%s: %s (partial output kept in %s)",
			    w->path, w->failed ? "a write failed" :
			    strerror(errno), w->tmp);
		} else if (w->unique) {
			if (unique_publish(w->tmp, w->path, CSV_PATH_MAX,
			    e) == -1)
				rc = err_set(e, "%.200s (output kept in %.200s)",
				    e->msg, w->tmp);
		} else if (atomic_rename(w->tmp, w->path,
		    ATOMIC_REPLACE) == -1) {
			rc = err_set(e, "%s: %s (output kept in %s)", w->path,
			    strerror(errno), w->tmp);
		}
	}
	if (rc == 0 && path != NULL && len > 0)
		snprintf(path, len, "%s", w->path);
	csv_free(w);
	return rc;
}

int
csv_close(struct csv_writer *w, struct err *e)
{
	return csv_finish(w, NULL, 0, e);
}

/* Like csv_open, but the file is always a new one (see export-csv.h). */
struct csv_writer *
csv_open_new(const char *path, enum csv_mode mode, enum csv_dialect d,
    struct err *e)
{
	struct csv_writer	*w;
	int			 fd;

	if (strcmp(path, "-") == 0 || mode == CSV_ATOMIC) {
		if ((w = csv_open(path, CSV_ATOMIC, d, e)) != NULL)
			w->unique = w->mode == CSV_ATOMIC && !w->is_stdout;
		return w;
	}
	if ((w = csv_alloc(path, CSV_APPEND, d, e)) == NULL)
		return NULL;
	if ((fd = unique_create(w->path, CSV_PATH_MAX, 0666, e)) == -1) {
		e->code = EXIT_NOINPUT;
		csv_free(w);
		return NULL;
	}
	w->fd = fd;
	w->unique = 1;
	return w;
}

const char *
csv_path(const struct csv_writer *w)
{
	return w->path;
}

void
csv_abort(struct csv_writer *w)
{
	if (w == NULL)
		return;
	if (w->is_stdout)
		fflush(stdout);
	else if (w->mode == CSV_APPEND)
		close(w->fd);
	else {
		fclose(w->fp);
		unlink(w->tmp);
	}
	csv_free(w);
}
