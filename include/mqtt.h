/*
 * mqtt.h: the MQTT exporter (src/export/mqtt.c) and its message builders
 * (src/export/mqtt-msg.c).
 *
 * Topics, with P the topic_prefix and D the discovery_prefix of [mqtt]:
 *   P/bridge/availability      retained "online"; the last will "offline"
 *   P/METER/availability       retained "online" while meter_fresh(), else
 *                              "offline"
 *   P/METER/state              one JSON object per meter per good cycle: the
 *                              read time and the CSV's value columns (same
 *                              names, units and decimals); a value not read is
 *                              left out, never 0
 *   D/sensor/countis-SERIAL/COLUMN/config   Home Assistant discovery, retained
 */
#ifndef MQTT_H
#define MQTT_H

#include <stddef.h>
#include <stdint.h>

#include "consumer.h"
#include "meter.h"

#define MQTT_STATE_MAX	1024	/* longest state message */
#define MQTT_DISC_MAX	2048	/* longest discovery config */
#define MQTT_TOPIC_MAX	256

extern const struct exporter_ops exporter_mqtt;

/*
 * The exporter's counters, for the Bus screen and the Prometheus exporter
 * (countis_mqtt_dropped_total). Readable from any thread.
 */
struct mqtt_stats {
	int		 running;	/* an [mqtt] exporter is open */
	int		 connected;	/* to the broker, now */
	uint64_t	 published;	/* state messages handed to the broker */
	uint64_t	 dropped;	/* state messages never handed to it */
	uint64_t	 connects;	/* successful connections */
};
/* Copy the counters of the running exporter (all 0 when there is none). */
void	mqtt_stats(struct mqtt_stats *);

/* Message builders (no broker needed; tests/unit/test-mqtt.c). */

/* Home Assistant entities: one per value column the discovery announces. */
int	mqtt_disc_count(void);

/*
 * The state message of m's last cycle into buf. Returns its length, or -1
 * when it does not fit.
 */
int	mqtt_state_json(char *buf, size_t len, const struct meter *m);

/*
 * Discovery config of entity i (0 .. mqtt_disc_count() - 1) for meter m,
 * whose serial must be known: its topic into topic and JSON into buf.
 * Returns the JSON's length, or -1 when it does not fit.
 */
int	mqtt_disc_json(char *topic, size_t tlen, char *buf, size_t len,
	    const struct meter *m, int i, const char *prefix,
	    const char *disc_prefix);

#endif
