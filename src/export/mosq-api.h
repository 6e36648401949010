/*
 * mosq-api.h: libmosquitto's functions for the MQTT exporter, reached through a table
 * that mosq_api_load() fills with dlopen() (dynlib.h says why). Include it
 * instead of <mosquitto.h>; calls keep their names.
 */
#ifndef MOSQ_API_H
#define MOSQ_API_H

#include <mosquitto.h>

#include "err.h"

enum {
	MOSQ_F_MOSQUITTO_CONNECT_ASYNC,
	MOSQ_F_MOSQUITTO_CONNECT_CALLBACK_SET,
	MOSQ_F_MOSQUITTO_DESTROY,
	MOSQ_F_MOSQUITTO_DISCONNECT,
	MOSQ_F_MOSQUITTO_DISCONNECT_CALLBACK_SET,
	MOSQ_F_MOSQUITTO_LIB_CLEANUP,
	MOSQ_F_MOSQUITTO_LIB_INIT,
	MOSQ_F_MOSQUITTO_LOOP_START,
	MOSQ_F_MOSQUITTO_LOOP_STOP,
	MOSQ_F_MOSQUITTO_MESSAGE_CALLBACK_SET,
	MOSQ_F_MOSQUITTO_NEW,
	MOSQ_F_MOSQUITTO_PUBLISH,
	MOSQ_F_MOSQUITTO_PUBLISH_CALLBACK_SET,
	MOSQ_F_MOSQUITTO_RECONNECT_DELAY_SET,
	MOSQ_F_MOSQUITTO_STRERROR,
	MOSQ_F_MOSQUITTO_SUBSCRIBE,
	MOSQ_F_MOSQUITTO_TLS_SET,
	MOSQ_F_MOSQUITTO_USERNAME_PW_SET,
	MOSQ_F_MOSQUITTO_WILL_SET,
	MOSQ_F__COUNT
};

extern void	*mosq_api[MOSQ_F__COUNT];

/* Load libmosquitto once; 0, or -1 with e set (exit 69). */
int	mosq_api_load(struct err *);

#define mosquitto_connect_async \
	((__typeof__(&mosquitto_connect_async))mosq_api[MOSQ_F_MOSQUITTO_CONNECT_ASYNC])
#define mosquitto_connect_callback_set \
	((__typeof__(&mosquitto_connect_callback_set))mosq_api[MOSQ_F_MOSQUITTO_CONNECT_CALLBACK_SET])
#define mosquitto_destroy \
	((__typeof__(&mosquitto_destroy))mosq_api[MOSQ_F_MOSQUITTO_DESTROY])
#define mosquitto_disconnect \
	((__typeof__(&mosquitto_disconnect))mosq_api[MOSQ_F_MOSQUITTO_DISCONNECT])
#define mosquitto_disconnect_callback_set \
	((__typeof__(&mosquitto_disconnect_callback_set))mosq_api[MOSQ_F_MOSQUITTO_DISCONNECT_CALLBACK_SET])
#define mosquitto_lib_cleanup \
	((__typeof__(&mosquitto_lib_cleanup))mosq_api[MOSQ_F_MOSQUITTO_LIB_CLEANUP])
#define mosquitto_lib_init \
	((__typeof__(&mosquitto_lib_init))mosq_api[MOSQ_F_MOSQUITTO_LIB_INIT])
#define mosquitto_loop_start \
	((__typeof__(&mosquitto_loop_start))mosq_api[MOSQ_F_MOSQUITTO_LOOP_START])
#define mosquitto_loop_stop \
	((__typeof__(&mosquitto_loop_stop))mosq_api[MOSQ_F_MOSQUITTO_LOOP_STOP])
#define mosquitto_message_callback_set \
	((__typeof__(&mosquitto_message_callback_set))mosq_api[MOSQ_F_MOSQUITTO_MESSAGE_CALLBACK_SET])
#define mosquitto_new \
	((__typeof__(&mosquitto_new))mosq_api[MOSQ_F_MOSQUITTO_NEW])
#define mosquitto_publish \
	((__typeof__(&mosquitto_publish))mosq_api[MOSQ_F_MOSQUITTO_PUBLISH])
#define mosquitto_publish_callback_set \
	((__typeof__(&mosquitto_publish_callback_set))mosq_api[MOSQ_F_MOSQUITTO_PUBLISH_CALLBACK_SET])
#define mosquitto_reconnect_delay_set \
	((__typeof__(&mosquitto_reconnect_delay_set))mosq_api[MOSQ_F_MOSQUITTO_RECONNECT_DELAY_SET])
#define mosquitto_strerror \
	((__typeof__(&mosquitto_strerror))mosq_api[MOSQ_F_MOSQUITTO_STRERROR])
#define mosquitto_subscribe \
	((__typeof__(&mosquitto_subscribe))mosq_api[MOSQ_F_MOSQUITTO_SUBSCRIBE])
#define mosquitto_tls_set \
	((__typeof__(&mosquitto_tls_set))mosq_api[MOSQ_F_MOSQUITTO_TLS_SET])
#define mosquitto_username_pw_set \
	((__typeof__(&mosquitto_username_pw_set))mosq_api[MOSQ_F_MOSQUITTO_USERNAME_PW_SET])
#define mosquitto_will_set \
	((__typeof__(&mosquitto_will_set))mosq_api[MOSQ_F_MOSQUITTO_WILL_SET])

#endif
