/*
 * regmap-dump.c: print the compiled register table back as TSV, one row per
 * register in id order, with the TSV's own spelling: address, hex, count,
 * type, unit, scale, fc, access, group, name, confidence, label, values. tests/sh/map-usage.sh
 * compares the output with the same columns cut from the TSV: what the
 * programs use is then provably what the TSV says.
 *
 * The one column the table cannot give back is a scale of
 * "numerator/denominator" (lc_rec0_value, scaled by two other registers):
 * has_scale is 0 for it as for "-", so it prints "-".
 */
#include <stdio.h>

#include "regmap.h"

static const char *
scale_text(const struct reg_def *r)
{
	static const char *const text[] = { "0.001", "0.01", "0.1", "1", "10" };

	if (!r->has_scale)
		return "-";
	if (r->scale_exp < -3 || r->scale_exp > 1)
		return "?";
	return text[r->scale_exp + 3];
}

static const char *
access_text(unsigned acc)
{
	switch (acc) {
	case REG_ACC_R:
		return "R";
	case REG_ACC_W:
		return "W";
	case REG_ACC_R | REG_ACC_W:
		return "RW";
	case 0:
		return "-";
	default:
		return "?";
	}
}

int
main(void)
{
	size_t	i;

	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];

		if (r->addr < 0)
			printf("-\t-\t");
		else
			printf("%d\t0x%04X\t", r->addr, (unsigned)r->addr);
		if (r->count > 0)
			printf("%d\t", r->count);
		else
			printf("-\t");
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    reg_type_name(r->type), r->unit[0] != '\0' ? r->unit : "-",
		    scale_text(r), r->fc, access_text(r->access), r->group,
		    r->name, reg_conf_name(r->conf), r->label,
		    r->values[0] != '\0' ? r->values : "-");
	}
	return ferror(stdout) ? 1 : 0;
}
