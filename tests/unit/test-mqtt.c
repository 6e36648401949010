/*
 * test-mqtt.c: the MQTT exporter's payloads (mqtt-msg.c) and the model's
 * verdict it follows (meter_fresh): exact decimals from the register map,
 * values not read left out (never 0), discovery configs carrying the
 * serial, the device block and both availability topics.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "mqtt.h"
#include "t.h"

static char			conf_name[] = "incomer";
static char			conf_label[] = "Main \"A\" incomer";
static struct meter_conf	conf = {
	.name = conf_name, .label = conf_label, .address = 5, .poll_ms = 1000
};

#define T0	5000		/* monotonic ms of the cycle */
#define WALL	1700000000123LL	/* 2023-11-14T22:13:20.123Z */

static void
put(struct meter *m, enum reg_id id, int64_t raw)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, T0, WALL);
}

/* A meter after one good cycle at T0, identified as an E34. */
static struct meter *
good_meter(void)
{
	struct meter	*m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		abort();
	meter_init(m, &conf, 0, 1000);
	put(m, REG_EA_PLUS_TOTAL_10WH, 123456);
	put(m, REG_P, -1234);
	put(m, REG_PF, -5);
	put(m, REG_V1, 23012);
	put(m, REG_I1, 7);
	put(m, REG_F, 5000);
	m->status = MS_OK;
	m->ident.done = m->ident.is_e34 = 1;
	m->ident.sw_version = 102;
	snprintf(m->ident.serial, sizeof m->ident.serial, "1A2B-0C0D-4711");
	m->last_ok_ms = m->last_cycle_ms = T0;
	m->last_cycle_wall_ms = WALL;
	return m;
}

static void
test_mqtt__state_exact_decimals(void)
{
	struct meter	*m = good_meter();
	char		 buf[MQTT_STATE_MAX];
	int		 n;

	n = mqtt_state_json(buf, sizeof buf, m);
	T_EQ_INT(n, (int)strlen(buf));
	T_EQ_STR(buf, "{\"time\":\"2023-11-14T22:13:20.123Z\","
	    "\"ea_total_kwh\":1234.56,\"p_kw\":-12.34,\"pf\":-0.005,"
	    "\"v1_v\":230.12,\"i1_a\":0.007,\"f_hz\":50.00}");
	meter_release(m);
	free(m);
}

/* A value not read in the last cycle, or "not available", is left out. */
static void
test_mqtt__state_leaves_out_unread(void)
{
	struct meter		*m = good_meter();
	struct reg_value	 v;
	char			 buf[MQTT_STATE_MAX];

	memset(&v, 0, sizeof v);	/* invalid */
	meter_store(m, REG_V1, &v, T0, WALL);
	put(m, REG_I1, 9);
	((struct reg_sample *)meter_get(m, REG_I1))->t_ms = T0 - 1000;	/* read in an older cycle */
	T_OK(mqtt_state_json(buf, sizeof buf, m) > 0);
	T_OK(strstr(buf, "v1_v") == NULL);
	T_OK(strstr(buf, "i1_a") == NULL);
	T_CONTAINS(buf, "\"ea_total_kwh\":1234.56");
	meter_release(m);
	free(m);
}

static void
test_mqtt__state_short_buffer(void)
{
	struct meter	*m = good_meter();
	char		 buf[40];

	T_EQ_INT(mqtt_state_json(buf, sizeof buf, m), -1);
	T_EQ_INT(mqtt_state_json(buf, 1, m), -1);
	meter_release(m);
	free(m);
}

static void
test_mqtt__disc_energy_config(void)
{
	struct meter	*m = good_meter();
	char		 topic[MQTT_TOPIC_MAX], buf[MQTT_DISC_MAX];
	int		 n;

	n = mqtt_disc_json(topic, sizeof topic, buf, sizeof buf, m, 0,
	    "countis", "homeassistant");
	T_EQ_INT(n, (int)strlen(buf));
	T_EQ_STR(topic,
	    "homeassistant/sensor/countis-1A2B-0C0D-4711/ea_total_kwh/config");
	T_CONTAINS(buf, "\"unique_id\":\"countis_1A2B-0C0D-4711_ea_total_kwh\"");
	T_CONTAINS(buf, "\"state_topic\":\"countis/incomer/state\"");
	T_CONTAINS(buf, "\"value_template\":\"{{ value_json.ea_total_kwh }}\"");
	T_CONTAINS(buf, "\"device_class\":\"energy\"");
	T_CONTAINS(buf, "\"unit_of_measurement\":\"kWh\"");
	T_CONTAINS(buf, "\"state_class\":\"total_increasing\"");
	T_CONTAINS(buf, "{\"topic\":\"countis/bridge/availability\"},"
	    "{\"topic\":\"countis/incomer/availability\"}");
	T_CONTAINS(buf, "\"availability_mode\":\"all\"");
	T_CONTAINS(buf, "\"identifiers\":[\"countis-1A2B-0C0D-4711\"]");
	T_CONTAINS(buf, "\"manufacturer\":\"Socomec\"");
	T_CONTAINS(buf, "\"model\":\"COUNTIS E34\"");
	T_CONTAINS(buf, "\"name\":\"Main \\\"A\\\" incomer\"");
	T_CONTAINS(buf, "\"sw_version\":\"1.02\"");
	meter_release(m);
	free(m);
}

/* Every entity: a topic of its own, a column the state message carries. */
static void
test_mqtt__disc_every_entity(void)
{
	struct meter	*m = good_meter();
	char		 topic[MQTT_TOPIC_MAX], prev[MQTT_TOPIC_MAX] = "";
	char		 buf[MQTT_DISC_MAX];
	int		 i;

	T_OK(mqtt_disc_count() >= 10);
	for (i = 0; i < mqtt_disc_count(); i++) {
		T_OK(mqtt_disc_json(topic, sizeof topic, buf, sizeof buf, m, i,
		    "site/countis", "ha") > 0);
		T_OK(strncmp(topic, "ha/sensor/countis-1A2B-0C0D-4711/", 33)
		    == 0);
		T_OK(strcmp(topic, prev) != 0);
		T_CONTAINS(buf, "\"state_topic\":\"site/countis/incomer/state\"");
		snprintf(prev, sizeof prev, "%s", topic);
	}
	T_EQ_INT(mqtt_disc_json(topic, sizeof topic, buf, sizeof buf, m, i,
	    "countis", "ha"), -1);
	T_EQ_INT(mqtt_disc_json(topic, sizeof topic, buf, 100, m, 0,
	    "countis", "ha"), -1);
	m->ident.serial[0] = '\0';	/* no serial, no unique id */
	T_EQ_INT(mqtt_disc_json(topic, sizeof topic, buf, sizeof buf, m, 0,
	    "countis", "ha"), -1);
	meter_release(m);
	free(m);
}

/* meter_fresh: ok, an E34, online, checks hold, younger than 2 periods + timeout. */
static void
test_mqtt__meter_fresh(void)
{
	struct meter	*m = good_meter();

	T_EQ_INT(meter_fresh(m, T0, 1000, 300), 1);
	T_EQ_INT(meter_fresh(m, T0 + 2300, 1000, 300), 1);
	T_EQ_INT(meter_fresh(m, T0 + 2301, 1000, 300), 0);
	m->status = MS_TIMEOUT;
	T_EQ_INT(meter_fresh(m, T0, 1000, 300), 0);
	m->status = MS_OK;
	m->offline = 1;
	T_EQ_INT(meter_fresh(m, T0, 1000, 300), 0);
	m->offline = 0;
	m->ident.is_e34 = 0;
	T_EQ_INT(meter_fresh(m, T0, 1000, 300), 0);
	m->ident.is_e34 = 1;
	m->energy_backwards = 1;	/* a CHECK failure */
	T_EQ_INT(meter_fresh(m, T0, 1000, 300), 0);
	meter_release(m);
	free(m);
}

/* Every [mqtt] key lands in struct mqtt_conf; defaults without them. */
static void
test_mqtt__config_keys(void)
{
	struct config	 cfg;
	struct err	 e;
	char		 path[] = "/tmp/test-mqtt.XXXXXX";
	FILE		*fp;
	int		 fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		abort();
	fprintf(fp, "[bus b]\ntype = tcp\nhost = h\n[meter m]\nbus = b\n"
	    "address = 1\n[mqtt]\nhost = broker\nport = 8883\n"
	    "client_id = c1\ntopic_prefix = a/b\nusername = u\n"
	    "password_file = %s\ntls = on\nca_file = %s\nqos = 1\n"
	    "discovery = off\ndiscovery_prefix = ha\n", path, path);
	fclose(fp);
	config_init(&cfg);
	T_EQ_INT(config_load(&cfg, path, &e), 0);
	T_EQ_INT(cfg.mqtt.enabled, 1);
	T_EQ_STR(cfg.mqtt.host, "broker");
	T_EQ_INT(cfg.mqtt.port, 8883);
	T_EQ_STR(cfg.mqtt.client_id, "c1");
	T_EQ_STR(cfg.mqtt.topic_prefix, "a/b");
	T_EQ_STR(cfg.mqtt.username, "u");
	T_EQ_STR(cfg.mqtt.password_file, path);
	T_EQ_INT(cfg.mqtt.tls, 1);
	T_EQ_STR(cfg.mqtt.ca_file, path);
	T_EQ_INT(cfg.mqtt.qos, 1);
	T_EQ_INT(cfg.mqtt.discovery, 0);
	T_EQ_STR(cfg.mqtt.discovery_prefix, "ha");
	config_free(&cfg);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fprintf(fp, "[bus b]\ntype = tcp\nhost = h\n[meter m]\nbus = b\n"
	    "address = 1\n");
	fclose(fp);
	T_EQ_INT(config_load(&cfg, path, &e), 0);
	T_EQ_INT(cfg.mqtt.enabled, 0);
	T_EQ_INT(cfg.mqtt.port, 1883);
	T_EQ_INT(cfg.mqtt.qos, 0);
	T_EQ_INT(cfg.mqtt.discovery, 1);
	T_EQ_STR(cfg.mqtt.topic_prefix, "countis");
	T_EQ_STR(cfg.mqtt.discovery_prefix, "homeassistant");
	config_free(&cfg);
	unlink(path);
}

int
main(void)
{
	T_RUN(test_mqtt__state_exact_decimals);
	T_RUN(test_mqtt__state_leaves_out_unread);
	T_RUN(test_mqtt__state_short_buffer);
	T_RUN(test_mqtt__disc_energy_config);
	T_RUN(test_mqtt__disc_every_entity);
	T_RUN(test_mqtt__meter_fresh);
	T_RUN(test_mqtt__config_keys);
	return t_done();
}
