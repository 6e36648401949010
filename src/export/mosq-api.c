/*
 * mosq-api.c: the table behind mosq-api.h.
 */
#include "ac-config.h"	/* MOSQ_SONAME */

#include "dynlib.h"
#include "mosq-api.h"

void	*mosq_api[MOSQ_F__COUNT];

static const char *const mosq_names[MOSQ_F__COUNT] = {
	[MOSQ_F_MOSQUITTO_CONNECT_ASYNC] = "mosquitto_connect_async",
	[MOSQ_F_MOSQUITTO_CONNECT_CALLBACK_SET] = "mosquitto_connect_callback_set",
	[MOSQ_F_MOSQUITTO_DESTROY] = "mosquitto_destroy",
	[MOSQ_F_MOSQUITTO_DISCONNECT] = "mosquitto_disconnect",
	[MOSQ_F_MOSQUITTO_DISCONNECT_CALLBACK_SET] = "mosquitto_disconnect_callback_set",
	[MOSQ_F_MOSQUITTO_LIB_CLEANUP] = "mosquitto_lib_cleanup",
	[MOSQ_F_MOSQUITTO_LIB_INIT] = "mosquitto_lib_init",
	[MOSQ_F_MOSQUITTO_LOOP_START] = "mosquitto_loop_start",
	[MOSQ_F_MOSQUITTO_LOOP_STOP] = "mosquitto_loop_stop",
	[MOSQ_F_MOSQUITTO_MESSAGE_CALLBACK_SET] = "mosquitto_message_callback_set",
	[MOSQ_F_MOSQUITTO_NEW] = "mosquitto_new",
	[MOSQ_F_MOSQUITTO_PUBLISH] = "mosquitto_publish",
	[MOSQ_F_MOSQUITTO_PUBLISH_CALLBACK_SET] = "mosquitto_publish_callback_set",
	[MOSQ_F_MOSQUITTO_RECONNECT_DELAY_SET] = "mosquitto_reconnect_delay_set",
	[MOSQ_F_MOSQUITTO_STRERROR] = "mosquitto_strerror",
	[MOSQ_F_MOSQUITTO_SUBSCRIBE] = "mosquitto_subscribe",
	[MOSQ_F_MOSQUITTO_TLS_SET] = "mosquitto_tls_set",
	[MOSQ_F_MOSQUITTO_USERNAME_PW_SET] = "mosquitto_username_pw_set",
	[MOSQ_F_MOSQUITTO_WILL_SET] = "mosquitto_will_set",
};

int
mosq_api_load(struct err *e)
{
	return dynlib_load(MOSQ_SONAME, mosq_names, mosq_api, MOSQ_F__COUNT, e);
}
