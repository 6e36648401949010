/*
 * mhd-api.h: libmicrohttpd's functions for the Prometheus exporter, reached through a table
 * that mhd_api_load() fills with dlopen() (dynlib.h says why). Include it
 * instead of <microhttpd.h>; calls keep their names.
 */
#ifndef MHD_API_H
#define MHD_API_H

#include <microhttpd.h>

#include "err.h"

enum {
	MHD_F_MHD_ADD_RESPONSE_HEADER,
	MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER,
	MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER_WITH_FREE_CALLBACK_CLS,
	MHD_F_MHD_DESTROY_RESPONSE,
	MHD_F_MHD_QUEUE_RESPONSE,
	MHD_F_MHD_START_DAEMON,
	MHD_F_MHD_STOP_DAEMON,
	MHD_F__COUNT
};

extern void	*mhd_api[MHD_F__COUNT];

/* Load libmicrohttpd once; 0, or -1 with e set (exit 69). */
int	mhd_api_load(struct err *);

#define MHD_add_response_header \
	((__typeof__(&MHD_add_response_header))mhd_api[MHD_F_MHD_ADD_RESPONSE_HEADER])
#define MHD_create_response_from_buffer \
	((__typeof__(&MHD_create_response_from_buffer))mhd_api[MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER])
#define MHD_create_response_from_buffer_with_free_callback_cls \
	((__typeof__(&MHD_create_response_from_buffer_with_free_callback_cls))mhd_api[MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER_WITH_FREE_CALLBACK_CLS])
#define MHD_destroy_response \
	((__typeof__(&MHD_destroy_response))mhd_api[MHD_F_MHD_DESTROY_RESPONSE])
#define MHD_queue_response \
	((__typeof__(&MHD_queue_response))mhd_api[MHD_F_MHD_QUEUE_RESPONSE])
#define MHD_start_daemon \
	((__typeof__(&MHD_start_daemon))mhd_api[MHD_F_MHD_START_DAEMON])
#define MHD_stop_daemon \
	((__typeof__(&MHD_stop_daemon))mhd_api[MHD_F_MHD_STOP_DAEMON])

#endif
