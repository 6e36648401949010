/*
 * mhd-api.c: the table behind mhd-api.h.
 */
#include "ac-config.h"	/* MHD_SONAME */

#include "dynlib.h"
#include "mhd-api.h"

void	*mhd_api[MHD_F__COUNT];

static const char *const mhd_names[MHD_F__COUNT] = {
	[MHD_F_MHD_ADD_RESPONSE_HEADER] = "MHD_add_response_header",
	[MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER] = "MHD_create_response_from_buffer",
	[MHD_F_MHD_CREATE_RESPONSE_FROM_BUFFER_WITH_FREE_CALLBACK_CLS] = "MHD_create_response_from_buffer_with_free_callback_cls",
	[MHD_F_MHD_DESTROY_RESPONSE] = "MHD_destroy_response",
	[MHD_F_MHD_QUEUE_RESPONSE] = "MHD_queue_response",
	[MHD_F_MHD_START_DAEMON] = "MHD_start_daemon",
	[MHD_F_MHD_STOP_DAEMON] = "MHD_stop_daemon",
};

int
mhd_api_load(struct err *e)
{
	return dynlib_load(MHD_SONAME, mhd_names, mhd_api, MHD_F__COUNT, e);
}
