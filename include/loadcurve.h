/*
 * loadcurve.h: the meter's stored P+ load curve, as a model. No curses, no
 * modbus: lc-fetch.c feeds it raw 122-word blocks read at REG_LC_RECORD_COUNT,
 * screens read it through const pointers.
 *
 * A block (doc/register-map-sources.md §9) is a 6-word header (record count
 * <= 29, record size 4, integration period register, unit code, numerator,
 * denominator) and up to 29 records of 4 words: date U32 seconds since
 * 2000-01-01 meter local time (high word first), flag 0 full / 1 incomplete,
 * value U16 in W x numerator / denominator.
 *
 * The curve merges blocks, sorts records by time, drops duplicates, and
 * derives the integration period from the spacing of the time stamps (the
 * sources disagree on the unit of the period register, which is kept beside
 * it for display). Missing intervals (gaps) and incomplete intervals are
 * counted and marked.
 */
#ifndef LOADCURVE_H
#define LOADCURVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define LC_BLOCK_WORDS	122	/* header + 29 records, read in one request */
#define LC_HDR_WORDS	6
#define LC_REC_WORDS	4
#define LC_MAX_RECS	29
#define LC_CMD_RESET	0x0001	/* to REG_LC_COMMAND: newest block next */
#define LC_CMD_NEXT	0xFFFE	/* to REG_LC_COMMAND: next older block */
#define LC_EPOCH_2000	946684800	/* 2000-01-01 00:00:00 as a Unix time */

struct lc_header {
	int		 count;		/* valid records in the block, 0..29 */
	int		 rec_size;	/* words per record, 4 */
	int		 period_reg;	/* raw REG_LC_INTEGRATION_PERIOD */
	int		 unit_code;	/* 0 = W for the P+ curve */
	int		 num, den;	/* as read */
	int		 scale_assumed;	/* num or den read 0: 1/1 used */
};

struct lc_record {
	int64_t		 t2000;		/* seconds since 2000-01-01, meter local */
	int		 flag;		/* 0 full, 1 incomplete */
	uint16_t	 raw;		/* value as read */
	int		 num, den;	/* scale of the block it came from */
	int		 gap_before;	/* missing intervals just before this one
					 * (at most INT_MAX) */
};

struct lc_block {
	struct lc_header hdr;
	struct lc_record rec[LC_MAX_RECS];
	int		 nrec;		/* records kept (invalid dates dropped) */
	int		 ndropped;	/* records whose date read 0xFFFFFFFF */
};

struct lc_curve {
	struct lc_record *rec;		/* sorted by t2000, no duplicates; owned */
	size_t		 n, cap;
	struct lc_header hdr;		/* header of the first (newest) block */
	int		 header_seen;
	int		 header_mismatch;	/* a later block disagreed on the header */
	int		 pages;		/* blocks merged */
	int		 ndropped;	/* records with no date, all blocks */
	int		 nduplicates;	/* records seen in two blocks */
	int		 period_s;	/* derived from the spacing; 0 when unknown */
	int		 period_votes;	/* how many spacings equal period_s */
	int		 ngaps;		/* places where intervals are missing */
	int		 nmissing;	/* missing intervals in all gaps
					 * (saturates at INT_MAX) */
	int		 nincomplete;	/* records flagged incomplete */
};

/*
 * Decode one block of nwords (>= 6; 122 when complete) into b. Returns 0,
 * or -1 with e->msg naming the word at fault (record count > 29, record
 * size not 4, block shorter than its record count needs).
 */
int	lc_decode_block(const uint16_t *words, int nwords, struct lc_block *b,
	    struct err *e);

void	lc_curve_init(struct lc_curve *);
void	lc_curve_release(struct lc_curve *);	/* the struct can be reused */
/* Merge one decoded block; re-sorts and re-derives. Returns 0 or -1 (ENOMEM). */
int	lc_curve_add(struct lc_curve *, const struct lc_block *, struct err *);
/* Deep copy of src into dst (dst initialised, released first). */
int	lc_curve_copy(struct lc_curve *dst, const struct lc_curve *src,
	    struct err *);

/* Power of record r in W (raw x num / den). */
double	lc_record_w(const struct lc_record *);
/* The same as exact text: "1234" when whole, else 3 decimals. */
int	lc_format_w(const struct lc_record *, char *buf, size_t len);

/* Meter local time as "2026-11-25 07:30:00"; UTC as "2026-11-25T06:30:00Z". */
int	lc_format_local(int64_t t2000, char *buf, size_t len);
/*
 * The meter keeps local wall-clock time with no zone (register map §7); the
 * console assumes its own time zone (TZ) is the meter's. Returns the UTC
 * Unix time of t2000, resolving a DST overlap to the first occurrence.
 */
int64_t	lc_local_to_utc(int64_t t2000);
int	lc_format_utc(int64_t t2000, char *buf, size_t len);

/* Index of the record closest to t2000, -1 when the curve is empty. */
int	lc_find(const struct lc_curve *, int64_t t2000);

/* Bin marks, one byte per bin. */
#define LC_MARK_DATA		0x01	/* at least one record */
#define LC_MARK_INCOMPLETE	0x02	/* one of them incomplete */
#define LC_MARK_GAP		0x04	/* no record inside the curve's span, or
					 * a record with missing intervals
					 * just before it */

/*
 * Average the records with t0 < t2000 <= t1 into nbins equal bins: val[i]
 * the mean W (NAN when empty), mark[i] as above. Returns bins with data.
 */
int	lc_bin(const struct lc_curve *, int64_t t0, int64_t t1, int nbins,
	    double *val, unsigned char *mark);

enum lc_zoom { LC_ZOOM_DAY, LC_ZOOM_WEEK, LC_ZOOM_ALL };
/* Window length in seconds for a zoom (ALL: the curve's span, >= 1 day). */
int64_t	lc_zoom_span_s(const struct lc_curve *, enum lc_zoom);
const char *lc_zoom_name(enum lc_zoom);

/*
 * Write the curve as CSV (RFC 4180, '\n'): header
 * "time_local,time_utc,power_w,flag" then one row per record, oldest first.
 * Returns rows written, or -1 with e->msg (errno text) on a write error.
 */
int	lc_write_csv(const struct lc_curve *, FILE *, struct err *);

/*
 * Export to dir/loadcurve-NAME-YYYYMMDDTHHMMSSZ.csv (now_unix in UTC)
 * through a temporary file renamed at the end, so a full disk leaves no
 * half file. The path written is copied to path_out. Returns rows or -1.
 */
int	lc_export_csv(const struct lc_curve *, const char *dir,
	    const char *meter_name, int64_t now_unix, char *path_out,
	    size_t path_len, struct err *);

/*
 * Wire time (us) of one page at char_us per character: FC16 write of the
 * command (11 bytes + 8 back), FC03 read of 122 words (8 + 249 back), and a
 * 3.5-character silence before each of the four frames (1750 us floor above
 * 19200 baud, the Modbus RTU rule).
 */
uint32_t lc_page_wire_us(long char_us, int baud);

#endif
