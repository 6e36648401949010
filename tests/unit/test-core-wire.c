/*
 * test-core-wire.c: RTU wire timing at every line setting the client and
 * countis-sim use, and the parity words both ways.
 */
#include <stdint.h>

#include "conf.h"
#include "wire.h"
#include "t.h"

static void
test_wire__char_bits(void)
{
	T_EQ_INT(wire_char_bits('N', 1), 10);
	T_EQ_INT(wire_char_bits('E', 1), 11);
	T_EQ_INT(wire_char_bits('O', 1), 11);
	T_EQ_INT(wire_char_bits('N', 2), 11);
	T_EQ_INT(wire_char_bits('E', 2), 12);
}

static void
test_wire__char_time_rounds(void)
{
	/* the client rounds up, the sim's nanoseconds round down */
	T_EQ_INT(wire_char_us(19200, 'N', 1), 521);	/* 520.83 */
	T_EQ_INT(wire_char_ns(19200, 'N', 1), 520833);
	T_EQ_INT(wire_char_us(9600, 'E', 1), 1146);	/* 1145.83 */
	T_EQ_INT(wire_char_us(4800, 'E', 2), 2500);	/* exact */
	T_EQ_INT(wire_char_ns(4800, 'E', 2), 2500000);
	T_EQ_INT(wire_char_us(115200, 'N', 1), 87);	/* 86.8 */
	T_EQ_INT(wire_char_us(0, 'N', 1), 0);
	T_EQ_INT(wire_char_ns(-1, 'N', 1), 0);
}

static void
test_wire__silent_interval(void)
{
	T_EQ_INT(wire_t35_us(19200, 521), 1824);	/* 3.5 x 521, rounded */
	T_EQ_INT(wire_t35_us(9600, 1146), 4011);
	T_EQ_INT(wire_t35_us(38400, 261), WIRE_T35_FIXED_US);
	T_EQ_INT(wire_t35_us(115200, 87), 1750);
	T_EQ_INT(wire_t35_us(0, 0), 0);
	T_EQ_INT(wire_t35_ns(520833), 1822915);
}

static void
test_wire__frames(void)
{
	/* FC03 of one register: 8 + 7 characters, two silences */
	T_EQ_INT(wire_frames_us(19200, 521, 15, 2), 15 * 521 + 2 * 1824);
	T_EQ_INT(wire_frames_us(38400, 261, 100, 4), 100 * 261 + 4 * 1750);
	T_EQ_INT(wire_frames_us(0, 0, 100, 4), 0);
}

static void
test_wire__gap(void)
{
	T_EQ_INT(wire_gap_us(521), 50000);		/* floor: 50 ms */
	T_EQ_INT(wire_gap_us(2500), 50000);
	T_EQ_INT(wire_gap_us(10000), 200000);		/* 20 characters */
}

static void
test_wire__bus_conf(void)
{
	struct bus_conf	b = { .type = BUS_RTU, .baud = 9600, .parity = 'O',
	    .stop_bits = 1 };

	T_EQ_INT(bus_char_us(&b), wire_char_us(9600, 'O', 1));
	b.baud = 0;
	T_EQ_INT(bus_char_us(&b), 0);
}

static void
test_wire__parity_words(void)
{
	const char	*words[] = { "none", "even", "odd" };
	char		 p = 'x';
	size_t		 i;

	for (i = 0; i < 3; i++) {
		T_EQ_INT(bus_parity_parse(words[i], &p), 0);
		T_EQ_STR(bus_parity_name(p), words[i]);
	}
	p = 'x';
	T_EQ_INT(bus_parity_parse("Even", &p), -1);
	T_EQ_INT(bus_parity_parse("", &p), -1);
	T_EQ_INT(p, 'x');				/* untouched */
	T_EQ_STR(bus_parity_name(0), "none");
}

int
main(void)
{
	T_RUN(test_wire__char_bits);
	T_RUN(test_wire__char_time_rounds);
	T_RUN(test_wire__silent_interval);
	T_RUN(test_wire__frames);
	T_RUN(test_wire__gap);
	T_RUN(test_wire__bus_conf);
	T_RUN(test_wire__parity_words);
	return t_done();
}
