/*
 * regmap.h: the COUNTIS E34 register map, as data.
 *
 * The table is generated at build time from data/e34-register-map.tsv (the
 * copy of shared/reference, the one source of addresses, counts, types and
 * scales) by src/model/regmap-gen.awk into gen/regmap-e34.c and gen/regmap-ids.h.
 * Code names registers by id (REG_V1, REG_EA_PLUS_TOTAL_10WH: the TSV name,
 * upper-cased), never by address literal.
 */
#ifndef REGMAP_H
#define REGMAP_H

#include <stddef.h>
#include <stdint.h>

#include "regmap-ids.h"		/* enum reg_id { REG_SOCO_MAGIC, ..., REG__COUNT } */

enum reg_type {
	REG_T_NONE,		/* "-": row documents an unknown fact */
	REG_T_U8,		/* low byte of one register */
	REG_T_U8_HEX,
	REG_T_U16,
	REG_T_U16_HEX,
	REG_T_S16,
	REG_T_U32,		/* high word first */
	REG_T_S32,
	REG_T_U64_HEX,
	REG_T_ASCII16,		/* one character per register, low byte */
	REG_T_ASCII,		/* two characters per register, high byte first */
	REG_T_DATETIME,		/* U32 seconds since 2000-01-01, meter local time */
	REG_T_DATETIME_3,	/* 3 registers, encoding unknown: shown as hex */
	REG_T_RECORDS		/* "4-word records": load-curve records block */
};

enum reg_conf {
	CONF_CONFIRMED_E34,
	CONF_CONFIRMED_FAMILY,	/* seen on a sibling only: reserved on an E34 */
	CONF_INFERRED,
	CONF_UNKNOWN		/* no public source; address is -1 */
};

#define REG_ACC_R	0x1
#define REG_ACC_W	0x2

struct reg_def {
	enum reg_id	 id;
	const char	*name;		/* TSV "name" */
	int		 addr;		/* PDU address; -1 when unknown */
	int		 count;		/* registers; 0 when unknown */
	enum reg_type	 type;
	const char	*unit;		/* "" for none ("-" in the TSV) */
	int		 has_scale;	/* 0 for "-" and numerator/denominator */
	int		 scale_exp;	/* value = raw * 10^scale_exp */
	unsigned	 access;	/* REG_ACC_R | REG_ACC_W */
	const char	*fc;		/* TSV "fc" as written */
	const char	*group;		/* ident, measure, energy, tariff, ... */
	const char	*desc;
	enum reg_conf	 conf;
	const char	*source;
	const char	*label;		/* TSV "label": "Ea+ last month" */
	const char	*values;	/* TSV "values": "0=text;1=text", or "" */
};

extern const struct reg_def	regmap_e34[];	/* indexed by enum reg_id */
extern const size_t		regmap_e34_len;	/* == REG__COUNT */

/* The row for id. Never NULL for id < REG__COUNT. */
const struct reg_def	*regmap_get(enum reg_id);
/* The row named name (TSV spelling, case-insensitive), or NULL. */
const struct reg_def	*regmap_by_name(const char *);
/* The row whose words cover addr, or NULL. */
const struct reg_def	*regmap_at(int addr);
/*
 * 1 when an E34 defines addr (a confirmed-E34 or inferred row covers it):
 * those are the registers countis-sim serves and the engine may read.
 * Family-only rows are reserved on an E34 and answer 0 here.
 */
int			 regmap_e34_defines(int addr);
/* 1 when every word of [addr, addr+count) is defined on an E34 and readable. */
int			 regmap_e34_readable(int addr, int count);
/* 1 when a write to addr is allowed by the map (access W). */
int			 regmap_e34_writable(int addr, int count);

/*
 * The text the map gives raw value raw of r ("4NBL (3P+N unbalanced)" for
 * network_type 5) into buf; NULL when r has no enumeration or raw is not
 * one of its values.
 */
const char		*regmap_value_text(const struct reg_def *r, int64_t raw,
			    char *buf, size_t len);

const char	*reg_type_name(enum reg_type);
const char	*reg_conf_name(enum reg_conf);

#endif
