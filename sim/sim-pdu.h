/*
 * sim-pdu.h: answer one Modbus request PDU (function code and data, no
 * address, no CRC or MBAP header) the way a COUNTIS E34 would: FC03 reads
 * of at most 125 registers the map defines, FC06/FC16 writes where it
 * allows them; anything else an exception (01 function, 02 address,
 * 03 value, 04 refused). Transports frame, pace and apply the dead, slow
 * and crc faults; this layer applies exception=CODE.
 */
#ifndef SIM_PDU_H
#define SIM_PDU_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define SIM_PDU_MAX		253
#define SIM_READ_MAX		125	/* FC03 registers per request */
#define SIM_WRITE_MAX		123	/* FC16 registers per request */

/*
 * Answer pdu (len bytes) addressed to unit (0: broadcast, applied to every
 * live unit, no answer). The reply PDU goes to rsp (SIM_PDU_MAX bytes);
 * returns its length, or 0 when nothing is to be sent.
 */
size_t	sim_pdu_handle(struct sim *, int unit, const uint8_t *pdu,
	    size_t len, uint8_t *rsp);

#endif
