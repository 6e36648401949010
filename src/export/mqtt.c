/*
 * mqtt.c: the MQTT exporter (mqtt.h): state messages, availability and Home
 * Assistant discovery to a broker, through libmosquitto.
 *
 * Threads. libmosquitto runs its network loop in its own thread
 * (mosquitto_loop_start), so the poll loop never waits on the broker. The
 * model is only read on the loop thread: every payload is built there, in
 * the consumer's cycle callback or in mqtt_wake_cb, and handed to
 * mosquitto_publish (thread-safe with loop_start). The client thread's
 * callbacks only set flags under `lock` and wake the loop with an ev_async.
 *
 * Memory. While disconnected, libmosquitto would queue QoS 1 publishes
 * without limit. So nothing is handed to it then: each meter keeps only its
 * latest state message (a slot allocated at open), sent on reconnect; a
 * message replaced or discarded unsent counts as dropped. While connected,
 * at most MQTT_INFLIGHT_MAX messages may wait in libmosquitto (a slow
 * broker); beyond that, messages wait in the slots too.
 *
 * Availability follows meter_fresh(): a meter that fails, fails a check or
 * stops answering goes offline and its slot is emptied, so an old value is
 * never published as current.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "conf.h"
#include "engine.h"
#include "mosq-api.h"
#include "err.h"
#include "mqtt.h"

#define MQTT_INFLIGHT_MAX	256	/* messages libmosquitto may hold */
#define MQTT_KEEPALIVE_S	30
#define MQTT_RETRY_MIN_S	1	/* reconnect back-off: 1, 4, 9 s ... */
#define MQTT_RETRY_MAX_S	10
#define MQTT_SWEEP_S		1.0	/* availability check of every meter */

struct mqtt_meter {
	int	 avail;		/* retained availability sent: -1 none, 0, 1 */
	int	 disc_sent;	/* discovery sent since the last connect */
	int	 pending_len;	/* 0: no message waiting */
	char	*pending;	/* MQTT_STATE_MAX bytes */
};

struct mqtt {
	struct mosquitto	*mosq;
	struct engine		*eng;
	struct ev_loop		*loop;
	ev_async		 wake;
	ev_timer		 sweep;
	char			*prefix, *disc_prefix;
	int			 qos, discovery;
	int			 nmeters;
	struct mqtt_meter	*mm;
	/* shared with the client thread, under lock */
	pthread_mutex_t		 lock;
	int			 connected;
	int			 resync;	/* connected: send everything */
	int			 rediscover;	/* HA said online */
	int			 inflight;	/* handed over, not yet sent */
};

/* The counters of mqtt_stats(): one exporter per process. */
static pthread_mutex_t	 mqtt_stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mqtt_stats mqtt_st;

void
mqtt_stats(struct mqtt_stats *out)
{
	pthread_mutex_lock(&mqtt_stats_lock);
	*out = mqtt_st;
	pthread_mutex_unlock(&mqtt_stats_lock);
}

static void
mqtt_count(uint64_t *counter, uint64_t n)
{
	pthread_mutex_lock(&mqtt_stats_lock);
	*counter += n;
	pthread_mutex_unlock(&mqtt_stats_lock);
}

/* Publish (loop thread). Returns 0, or -1 when libmosquitto refused it. */
static int
mqtt_send(struct mqtt *q, const char *topic, const char *payload, int len,
    int retain)
{
	int	rc;

	pthread_mutex_lock(&q->lock);
	q->inflight++;
	pthread_mutex_unlock(&q->lock);
	rc = mosquitto_publish(q->mosq, NULL, topic, len, payload, q->qos,
	    retain);
	if (rc == MOSQ_ERR_SUCCESS)
		return 0;
	pthread_mutex_lock(&q->lock);
	q->inflight--;
	pthread_mutex_unlock(&q->lock);
	return -1;
}

/* 1 when a message may be handed to libmosquitto now. */
static int
mqtt_can_send(struct mqtt *q)
{
	int	ok;

	pthread_mutex_lock(&q->lock);
	ok = q->connected && q->inflight < MQTT_INFLIGHT_MAX;
	pthread_mutex_unlock(&q->lock);
	return ok;
}

static int
mqtt_is_connected(struct mqtt *q)
{
	int	c;

	pthread_mutex_lock(&q->lock);
	c = q->connected;
	pthread_mutex_unlock(&q->lock);
	return c;
}

/* Send the retained availability of meter i when it changed (or force). */
static void
mqtt_avail(struct mqtt *q, int i, int online, int force)
{
	const struct meter	*m = engine_meter(q->eng, i);
	char			 topic[MQTT_TOPIC_MAX];
	const char		*word = online ? "online" : "offline";

	if (!force && q->mm[i].avail == online)
		return;
	if (!mqtt_is_connected(q))
		return;
	snprintf(topic, sizeof topic, "%s/%s/availability", q->prefix,
	    m->conf->name);
	if (mqtt_send(q, topic, word, (int)strlen(word), 1) == 0)
		q->mm[i].avail = online;
}

/* Announce meter i's entities to Home Assistant, once per connection. */
static void
mqtt_discover(struct mqtt *q, int i)
{
	const struct meter	*m = engine_meter(q->eng, i);
	char			 topic[MQTT_TOPIC_MAX], buf[MQTT_DISC_MAX];
	int			 k, n;

	if (!q->discovery || q->mm[i].disc_sent || !m->ident.is_e34 ||
	    m->ident.serial[0] == '\0' || !mqtt_is_connected(q))
		return;
	for (k = 0; k < mqtt_disc_count(); k++) {
		n = mqtt_disc_json(topic, sizeof topic, buf, sizeof buf, m, k,
		    q->prefix, q->disc_prefix);
		if (n < 0 || mqtt_send(q, topic, buf, n, 1) == -1)
			return;
	}
	q->mm[i].disc_sent = 1;
}

/* Hand meter i's waiting state message to the broker, if it may go. */
static void
mqtt_flush(struct mqtt *q, int i)
{
	struct mqtt_meter	*mm = &q->mm[i];
	const struct meter	*m = engine_meter(q->eng, i);
	char			 topic[MQTT_TOPIC_MAX];

	if (mm->pending_len == 0 || !mqtt_can_send(q))
		return;
	snprintf(topic, sizeof topic, "%s/%s/state", q->prefix,
	    m->conf->name);
	if (mqtt_send(q, topic, mm->pending, mm->pending_len, 0) == 0)
		mqtt_count(&mqtt_st.published, 1);
	else
		mqtt_count(&mqtt_st.dropped, 1);
	mm->pending_len = 0;
}

/* Empty meter i's slot; an unsent message counts as dropped. */
static void
mqtt_discard(struct mqtt *q, int i)
{
	if (q->mm[i].pending_len == 0)
		return;
	q->mm[i].pending_len = 0;
	mqtt_count(&mqtt_st.dropped, 1);
}

/* Follow the model's verdict on meter i: availability, and no old value. */
static int
mqtt_judge(struct mqtt *q, int i, int64_t now_ms)
{
	int	fresh = engine_meter_fresh(q->eng, i, now_ms);

	if (!fresh)
		mqtt_discard(q, i);
	else
		mqtt_discover(q, i);
	mqtt_avail(q, i, fresh, 0);
	return fresh;
}

/* The engine's cycle callback (loop thread): one state message per cycle. */
static void
mqtt_cycle(void *state, const struct meter *m)
{
	struct mqtt	*q = state;
	int		 i = m->index, n;

	if (i < 0 || i >= q->nmeters || !mqtt_judge(q, i, engine_now_ms()))
		return;
	mqtt_discard(q, i);	/* superseded: the newest wins */
	n = mqtt_state_json(q->mm[i].pending, MQTT_STATE_MAX, m);
	if (n <= 0) {
		mqtt_count(&mqtt_st.dropped, 1);
		return;
	}
	q->mm[i].pending_len = n;
	mqtt_flush(q, i);
}

/* Meters whose cycles stopped coming still go offline (loop thread). */
static void
mqtt_sweep_cb(UNUSED struct ev_loop *loop, ev_timer *w, UNUSED int revents)
{
	struct mqtt	*q = w->data;
	int64_t		 now = engine_now_ms();
	int		 i;

	for (i = 0; i < q->nmeters; i++)
		if (mqtt_judge(q, i, now))
			mqtt_flush(q, i);
}

/* The client thread asked for work: (re)connected, or HA restarted. */
static void
mqtt_wake_cb(UNUSED struct ev_loop *loop, ev_async *w, UNUSED int revents)
{
	struct mqtt	*q = w->data;
	char		 topic[MQTT_TOPIC_MAX];
	int		 resync, rediscover, i;

	pthread_mutex_lock(&q->lock);
	resync = q->resync;
	rediscover = q->rediscover;
	q->resync = q->rediscover = 0;
	pthread_mutex_unlock(&q->lock);
	if (!resync && !rediscover)
		return;
	if (resync) {
		snprintf(topic, sizeof topic, "%s/bridge/availability",
		    q->prefix);
		mqtt_send(q, topic, "online", 6, 1);
		snprintf(topic, sizeof topic, "%s/status", q->disc_prefix);
		if (q->discovery)
			mosquitto_subscribe(q->mosq, NULL, topic, q->qos);
	}
	for (i = 0; i < q->nmeters; i++) {
		q->mm[i].disc_sent = 0;
		if (resync)
			q->mm[i].avail = -1;	/* the broker may have lost it */
		if (mqtt_judge(q, i, engine_now_ms()))
			mqtt_flush(q, i);
	}
}

/* Client thread: the broker accepted (rc 0) or refused the connection. */
static void
mqtt_on_connect(UNUSED struct mosquitto *mosq, void *arg, int rc)
{
	struct mqtt	*q = arg;

	if (rc != 0)
		return;
	pthread_mutex_lock(&q->lock);
	q->connected = 1;
	q->resync = 1;
	q->inflight = 0;	/* QoS 0 packets of a lost link are gone */
	pthread_mutex_unlock(&q->lock);
	pthread_mutex_lock(&mqtt_stats_lock);
	mqtt_st.connected = 1;
	mqtt_st.connects++;
	pthread_mutex_unlock(&mqtt_stats_lock);
	ev_async_send(q->loop, &q->wake);
}

static void
mqtt_on_disconnect(UNUSED struct mosquitto *mosq, void *arg, UNUSED int rc)
{
	struct mqtt	*q = arg;

	pthread_mutex_lock(&q->lock);
	q->connected = 0;
	pthread_mutex_unlock(&q->lock);
	pthread_mutex_lock(&mqtt_stats_lock);
	mqtt_st.connected = 0;
	pthread_mutex_unlock(&mqtt_stats_lock);
}

static void
mqtt_on_publish(UNUSED struct mosquitto *mosq, void *arg, UNUSED int mid)
{
	struct mqtt	*q = arg;

	pthread_mutex_lock(&q->lock);
	if (q->inflight > 0)
		q->inflight--;
	pthread_mutex_unlock(&q->lock);
}

/* DISC_PREFIX/status "online": Home Assistant restarted; announce again. */
static void
mqtt_on_message(UNUSED struct mosquitto *mosq, void *arg,
    const struct mosquitto_message *msg)
{
	struct mqtt	*q = arg;

	if (msg->payloadlen != 6 || memcmp(msg->payload, "online", 6) != 0)
		return;
	pthread_mutex_lock(&q->lock);
	q->rediscover = 1;
	pthread_mutex_unlock(&q->lock);
	ev_async_send(q->loop, &q->wake);
}

/* The password: the first line of the file, without its line end. */
static int
mqtt_password(const char *path, char *buf, size_t len, struct err *e)
{
	FILE	*fp;
	int	 saved;

	if ((fp = fopen(path, "r")) == NULL) {
		saved = errno;
		return err_setc(e, EXIT_NOINPUT, "[mqtt] password_file %s: %s",
		    path, strerror(saved));
	}
	if (fgets(buf, (int)len, fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* Credentials, TLS and the last will, before the first connect. */
static int
mqtt_setup(struct mqtt *q, const struct mqtt_conf *c, struct err *e)
{
	char	topic[MQTT_TOPIC_MAX], pw[256] = "";
	int	rc;

	if (c->password_file != NULL &&
	    mqtt_password(c->password_file, pw, sizeof pw, e) == -1)
		return -1;
	if (c->username != NULL && mosquitto_username_pw_set(q->mosq,
	    c->username, c->password_file != NULL ? pw : NULL) != 0) {
		explicit_bzero(pw, sizeof pw);
		return err_setc(e, EXIT_CONFIG, "[mqtt] username: refused");
	}
	explicit_bzero(pw, sizeof pw);
	if (c->tls && (rc = mosquitto_tls_set(q->mosq, c->ca_file,
	    c->ca_file == NULL ? "/etc/ssl/certs" : NULL, NULL, NULL,
	    NULL)) != MOSQ_ERR_SUCCESS)
		return err_setc(e, EXIT_CONFIG, "[mqtt] tls: %s",
		    mosquitto_strerror(rc));
	snprintf(topic, sizeof topic, "%s/bridge/availability", q->prefix);
	if (mosquitto_will_set(q->mosq, topic, 7, "offline", q->qos, 1) != 0)
		return err_setc(e, EXIT_CONFIG, "[mqtt] topic_prefix: the last "
		    "will is refused");
	mosquitto_reconnect_delay_set(q->mosq, MQTT_RETRY_MIN_S,
	    MQTT_RETRY_MAX_S, 1);
	mosquitto_connect_callback_set(q->mosq, mqtt_on_connect);
	mosquitto_disconnect_callback_set(q->mosq, mqtt_on_disconnect);
	mosquitto_publish_callback_set(q->mosq, mqtt_on_publish);
	mosquitto_message_callback_set(q->mosq, mqtt_on_message);
	return 0;
}

static void
mqtt_close(void *state)
{
	struct mqtt	*q = state;
	char		 topic[MQTT_TOPIC_MAX];
	int		 i;

	if (q == NULL)
		return;
	if (q->mosq != NULL) {
		/* A clean stop is not a crash: say offline ourselves. */
		snprintf(topic, sizeof topic, "%s/bridge/availability",
		    q->prefix);
		if (mqtt_is_connected(q))
			mosquitto_publish(q->mosq, NULL, topic, 7, "offline",
			    q->qos, 1);
		mosquitto_disconnect(q->mosq);
		mosquitto_loop_stop(q->mosq, false);
		mosquitto_destroy(q->mosq);
		mosquitto_lib_cleanup();
	}
	ev_timer_stop(q->loop, &q->sweep);
	ev_async_stop(q->loop, &q->wake);
	for (i = 0; q->mm != NULL && i < q->nmeters; i++)
		free(q->mm[i].pending);
	free(q->mm);
	free(q->prefix);
	free(q->disc_prefix);
	pthread_mutex_destroy(&q->lock);
	free(q);
	pthread_mutex_lock(&mqtt_stats_lock);
	mqtt_st.running = mqtt_st.connected = 0;
	pthread_mutex_unlock(&mqtt_stats_lock);
}

/* Allocate the state and one message slot per meter. */
static struct mqtt *
mqtt_new(struct ev_loop *loop, struct engine *eng, const struct mqtt_conf *c)
{
	struct mqtt	*q;
	int		 i;

	if ((q = calloc(1, sizeof *q)) == NULL)
		return NULL;
	pthread_mutex_init(&q->lock, NULL);
	q->loop = loop;
	q->eng = eng;
	q->qos = c->qos;
	q->discovery = c->discovery;
	q->nmeters = engine_nmeters(eng);
	ev_async_init(&q->wake, mqtt_wake_cb);
	q->wake.data = q;
	ev_timer_init(&q->sweep, mqtt_sweep_cb, MQTT_SWEEP_S, MQTT_SWEEP_S);
	q->sweep.data = q;
	q->prefix = strdup(c->topic_prefix != NULL ? c->topic_prefix :
	    "countis");
	q->disc_prefix = strdup(c->discovery_prefix != NULL ?
	    c->discovery_prefix : "homeassistant");
	q->mm = calloc((size_t)q->nmeters + 1, sizeof *q->mm);
	if (q->prefix == NULL || q->disc_prefix == NULL || q->mm == NULL)
		goto fail;
	for (i = 0; i < q->nmeters; i++) {
		q->mm[i].avail = -1;
		if ((q->mm[i].pending = malloc(MQTT_STATE_MAX)) == NULL)
			goto fail;
	}
	return q;
fail:
	mqtt_close(q);
	return NULL;
}

static int
mqtt_open(void **state, struct ev_loop *loop, struct engine *eng,
    const struct config *cfg, struct err *e)
{
	const struct mqtt_conf	*c = &cfg->mqtt;
	struct mqtt		*q;
	char			 id[128], host[64];
	int			 rc;

	*state = NULL;
	if (!c->enabled)
		return 0;
	if ((q = mqtt_new(loop, eng, c)) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "mqtt: out of memory");
	if (c->client_id != NULL)
		snprintf(id, sizeof id, "%s", c->client_id);
	else {
		if (gethostname(host, sizeof host) == -1)
			snprintf(host, sizeof host, "localhost");
		host[sizeof host - 1] = '\0';
		snprintf(id, sizeof id, "countis-tui-%s", host);
	}
	if (mosq_api_load(e) == -1) {
		mqtt_close(q);
		return -1;
	}
	mosquitto_lib_init();
	if ((q->mosq = mosquitto_new(id, true, q)) == NULL) {
		mosquitto_lib_cleanup();
		mqtt_close(q);
		return err_setc(e, EXIT_SOFTWARE, "mqtt: %s", strerror(errno));
	}
	if (mqtt_setup(q, c, e) == -1)
		goto fail;
	pthread_mutex_lock(&mqtt_stats_lock);
	memset(&mqtt_st, 0, sizeof mqtt_st);
	mqtt_st.running = 1;
	pthread_mutex_unlock(&mqtt_stats_lock);
	/* A broker that is away now is retried by the client thread. */
	rc = mosquitto_connect_async(q->mosq, c->host, c->port,
	    MQTT_KEEPALIVE_S);
	if (rc == MOSQ_ERR_INVAL) {
		err_setc(e, EXIT_CONFIG, "[mqtt] host %s port %d: %s",
		    c->host, c->port, mosquitto_strerror(rc));
		goto fail;
	}
	if ((rc = mosquitto_loop_start(q->mosq)) != MOSQ_ERR_SUCCESS) {
		err_setc(e, EXIT_SOFTWARE, "mqtt: %s", mosquitto_strerror(rc));
		goto fail;
	}
	ev_async_start(loop, &q->wake);
	ev_timer_start(loop, &q->sweep);
	*state = q;
	return 0;
fail:
	mqtt_close(q);
	return -1;
}

static const struct consumer_ops mqtt_consumer = {
	.name = "mqtt",
	.cycle = mqtt_cycle,
};

const struct exporter_ops exporter_mqtt = {
	.name = "mqtt",
	.open = mqtt_open,
	.close = mqtt_close,
	.consumer = &mqtt_consumer,
};
