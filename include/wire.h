/*
 * wire.h: Modbus RTU timing on a serial line, and the words for parity.
 *
 * A character is a start bit, 8 data bits, a parity bit unless parity is
 * none, and 1 or 2 stop bits. A frame ends with a silent interval of 3.5
 * characters, fixed at 1750 us above 19200 baud (Modbus over serial line
 * V1.02, 2.5.1.1). The client (bus, poll plan, scan, load curve) and
 * countis-sim all count with these, so they agree on every figure.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stdint.h>

struct bus_conf;

#define WIRE_T35_FIXED_US	1750	/* silent interval above 19200 baud */
#define WIRE_GAP_MIN_US		50000	/* shortest in-frame gap tolerated */

/* Bits of one character: start, 8 data, parity ('E'/'O'), stop bits. */
int	wire_char_bits(char parity, int stop_bits);
/* Wire time of one character, rounded up; 0 when baud <= 0. */
long	wire_char_us(int baud, char parity, int stop_bits);
/* The same in nanoseconds, rounded down (countis-sim's pacing). */
int64_t	wire_char_ns(int baud, char parity, int stop_bits);
/* 3.5 characters of char_ns, rounded down (countis-sim's silence). */
int64_t	wire_t35_ns(int64_t char_ns);
/* Silent interval: 3.5 characters rounded, 1750 us above 19200; 0 if baud <= 0. */
long	wire_t35_us(int baud, long char_us);
/* Wire time of chars characters in frames frames, each with its silence. */
long	wire_frames_us(int baud, long char_us, long chars, int frames);
/*
 * Longest silence inside an answer before it counts as broken: 20
 * characters, at least 50 ms (USB adapters deliver in bursts).
 */
long	wire_gap_us(long char_us);

/* One character at the line settings of b (wire_char_us). */
long	bus_char_us(const struct bus_conf *b);

const char *bus_parity_name(char parity);	/* "none" "even" "odd" */
/* "rtu", "tcp" or "rtu-tcp", as the type key spells it. */
const char *bus_type_name(int type);
/* 1 when the bus is reached over TCP at host:port (tcp, rtu-tcp). */
int	bus_is_net(const struct bus_conf *);
/* 1 when an RS485 line's wire time applies (rtu, rtu-tcp). */
int	bus_has_line(const struct bus_conf *);
/* "none", "even", "odd" to 'N', 'E', 'O' in *parity; 0, or -1 for another word. */
int	bus_parity_parse(const char *word, char *parity);

#endif
