/*
 * wire.c: Modbus RTU wire timing and the parity words (see wire.h). What a
 * request or an answer holds is the callers' business; this only turns
 * characters into microseconds.
 */
#include <string.h>

#include "conf.h"
#include "wire.h"

int
wire_char_bits(char parity, int stop_bits)
{
	return 1 + 8 + (parity == 'E' || parity == 'O') + stop_bits;
}

long
wire_char_us(int baud, char parity, int stop_bits)
{
	long	bits = wire_char_bits(parity, stop_bits);

	if (baud <= 0)
		return 0;
	return (bits * 1000000L + baud - 1) / baud;
}

int64_t
wire_char_ns(int baud, char parity, int stop_bits)
{
	if (baud <= 0)
		return 0;
	return (int64_t)wire_char_bits(parity, stop_bits) * 1000000000LL / baud;
}

int64_t
wire_t35_ns(int64_t char_ns)
{
	return 7 * char_ns / 2;
}

long
wire_t35_us(int baud, long char_us)
{
	if (baud <= 0)
		return 0;
	if (baud > 19200)
		return WIRE_T35_FIXED_US;
	return (char_us * 7 + 1) / 2;
}

long
wire_frames_us(int baud, long char_us, long chars, int frames)
{
	return chars * char_us + frames * wire_t35_us(baud, char_us);
}

long
wire_gap_us(long char_us)
{
	long	us = 20 * char_us;

	return us < WIRE_GAP_MIN_US ? WIRE_GAP_MIN_US : us;
}

long
bus_char_us(const struct bus_conf *b)
{
	return wire_char_us(b->baud, b->parity, b->stop_bits);
}

const char *
bus_parity_name(char parity)
{
	switch (parity) {
	case 'E':
		return "even";
	case 'O':
		return "odd";
	default:
		return "none";
	}
}

int
bus_parity_parse(const char *word, char *parity)
{
	if (strcmp(word, "none") == 0)
		*parity = 'N';
	else if (strcmp(word, "even") == 0)
		*parity = 'E';
	else if (strcmp(word, "odd") == 0)
		*parity = 'O';
	else
		return -1;
	return 0;
}

const char *
bus_type_name(int t)
{
	return t == BUS_TCP ? "tcp" : t == BUS_RTU_TCP ? "rtu-tcp" : "rtu";
}

int
bus_is_net(const struct bus_conf *b)
{
	return b->type == BUS_TCP || b->type == BUS_RTU_TCP;
}

int
bus_has_line(const struct bus_conf *b)
{
	return b->type == BUS_RTU || b->type == BUS_RTU_TCP;
}
