/*
 * mqtt-msg.c: the MQTT exporter's payloads (see mqtt.h): the state message
 * and the Home Assistant discovery configs, as JSON text. Values come from
 * the CSV writer's columns (csv_format_value: the register map's scale,
 * integer arithmetic, no float noise); sending them is mqtt.c's business.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "mqtt.h"

/*
 * What Home Assistant is told about each announced column. Energy is
 * total_increasing rather than total: the E34's import counters only grow,
 * and HA reads a decrease of a total_increasing sensor as a meter reset. We
 * never publish a value that went backwards (the meter goes offline on a
 * failed check instead), so that case only arises from a replaced meter,
 * which carries a new serial and so new entities anyway.
 */
static const struct mqtt_entity {
	const char	*col;		/* CSV value column, state JSON key */
	const char	*name;
	const char	*dev_class;	/* NULL: none */
	const char	*unit;		/* NULL: none */
	const char	*state_class;	/* NULL: none */
} mqtt_entities[] = {
	{ "ea_total_kwh", "Energy", "energy", "kWh", "total_increasing" },
	{ "ea_t1_kwh", "Energy T1", "energy", "kWh", "total_increasing" },
	{ "ea_t2_kwh", "Energy T2", "energy", "kWh", "total_increasing" },
	{ "ea_t3_kwh", "Energy T3", "energy", "kWh", "total_increasing" },
	{ "ea_t4_kwh", "Energy T4", "energy", "kWh", "total_increasing" },
	{ "tariff", "Tariff", NULL, NULL, NULL },
	{ "p_kw", "Power", "power", "kW", "measurement" },
	{ "pf", "Power factor", "power_factor", NULL, "measurement" },
	{ "v1_v", "Voltage V1", "voltage", "V", "measurement" },
	{ "v2_v", "Voltage V2", "voltage", "V", "measurement" },
	{ "v3_v", "Voltage V3", "voltage", "V", "measurement" },
	{ "i1_a", "Current I1", "current", "A", "measurement" },
	{ "i2_a", "Current I2", "current", "A", "measurement" },
	{ "i3_a", "Current I3", "current", "A", "measurement" },
	{ "f_hz", "Frequency", "frequency", "Hz", "measurement" },
};
#define NENTITIES	((int)(sizeof mqtt_entities / sizeof mqtt_entities[0]))

/* A JSON text being built; a write that does not fit sets full. */
struct jbuf {
	char	*buf;
	size_t	 len, off;
	int	 full;
};

static void __attribute__((format(printf, 2, 3)))
jb_printf(struct jbuf *j, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (j->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->off, j->len - j->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= j->len - j->off) {
		j->full = 1;
		j->buf[j->off] = '\0';
		return;
	}
	j->off += (size_t)n;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
jb_str(struct jbuf *j, const char *s)
{
	jb_printf(j, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			jb_printf(j, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			jb_printf(j, "\\u%04x", (unsigned char)*s);
		else
			jb_printf(j, "%c", *s);
	}
	jb_printf(j, "\"");
}

/* "key": "value" with a leading comma unless first. */
static void
jb_kv(struct jbuf *j, const char *key, const char *val)
{
	jb_printf(j, "%s\"%s\":", j->buf[j->off - 1] == '{' ? "" : ",", key);
	jb_str(j, val);
}

static int
jb_done(struct jbuf *j)
{
	return j->full ? -1 : (int)j->off;
}

int
mqtt_disc_count(void)
{
	return NENTITIES;
}

int
mqtt_state_json(char *buf, size_t len, const struct meter *m)
{
	struct jbuf	 j = { buf, len, 0, 0 };
	const char	*name;
	char		 num[48];
	int		 i, n;

	if (len < 2)
		return -1;
	buf[0] = '\0';
	if (csv_format_time(num, sizeof num, m->last_cycle_wall_ms) < 0)
		return -1;
	jb_printf(&j, "{\"time\":\"%s\"", num);
	for (i = 0; (name = csv_value_name(i)) != NULL; i++) {
		if ((n = csv_format_value(num, sizeof num, m, i, '.')) < 0)
			return -1;
		if (n > 0)
			jb_printf(&j, ",\"%s\":%s", name, num);
	}
	jb_printf(&j, "}");
	return jb_done(&j);
}

/* The device block: one HA device per meter, known by its serial. */
static void
mqtt_disc_device(struct jbuf *j, const struct meter *m)
{
	char	sw[16], id[48];

	snprintf(sw, sizeof sw, "%d.%02d", m->ident.sw_version / 100,
	    m->ident.sw_version % 100);
	snprintf(id, sizeof id, "countis-%s", m->ident.serial);
	jb_printf(j, ",\"device\":{\"identifiers\":[");
	jb_str(j, id);
	jb_printf(j, "]");
	jb_kv(j, "manufacturer", "Socomec");
	jb_kv(j, "model", "COUNTIS E34");
	jb_kv(j, "name", m->conf->label != NULL ? m->conf->label :
	    m->conf->name);
	jb_kv(j, "serial_number", m->ident.serial);
	jb_kv(j, "sw_version", sw);
	jb_printf(j, "}");
}

int
mqtt_disc_json(char *topic, size_t tlen, char *buf, size_t len,
    const struct meter *m, int i, const char *prefix, const char *disc_prefix)
{
	const struct mqtt_entity	*en;
	struct jbuf			 j = { buf, len, 0, 0 };
	char				 s[MQTT_TOPIC_MAX];
	int				 n;

	if (i < 0 || i >= NENTITIES || len < 2 || m->ident.serial[0] == '\0')
		return -1;
	en = &mqtt_entities[i];
	n = snprintf(topic, tlen, "%s/sensor/countis-%s/%s/config",
	    disc_prefix, m->ident.serial, en->col);
	if (n < 0 || (size_t)n >= tlen)
		return -1;
	buf[0] = '\0';
	jb_printf(&j, "{");
	jb_kv(&j, "name", en->name);
	snprintf(s, sizeof s, "countis_%s_%s", m->ident.serial, en->col);
	jb_kv(&j, "unique_id", s);
	snprintf(s, sizeof s, "%s/%s/state", prefix, m->conf->name);
	jb_kv(&j, "state_topic", s);
	snprintf(s, sizeof s, "{{ value_json.%s }}", en->col);
	jb_kv(&j, "value_template", s);
	if (en->dev_class != NULL)
		jb_kv(&j, "device_class", en->dev_class);
	if (en->unit != NULL)
		jb_kv(&j, "unit_of_measurement", en->unit);
	if (en->state_class != NULL)
		jb_kv(&j, "state_class", en->state_class);
	jb_printf(&j, ",\"availability\":[{\"topic\":");
	snprintf(s, sizeof s, "%s/bridge/availability", prefix);
	jb_str(&j, s);
	jb_printf(&j, "},{\"topic\":");
	snprintf(s, sizeof s, "%s/%s/availability", prefix, m->conf->name);
	jb_str(&j, s);
	jb_printf(&j, "}]");
	jb_kv(&j, "availability_mode", "all");
	mqtt_disc_device(&j, m);
	jb_printf(&j, "}");
	return jb_done(&j);
}
