/* ZeroMQ helpers; see zio.h. The stop flag is a sig_atomic_t written only
 * by the signal handler (and cr_zstop), read by every service loop. */
#include "common/zio.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/codec.h"
#include "common/log.h"

static void *ctx;
static volatile sig_atomic_t stop_flag;

void *cr_zctx(void)
{
	if (!ctx) {
		ctx = zmq_ctx_new();
		if (ctx)
			zmq_ctx_set(ctx, ZMQ_BLOCKY, 0);
	}
	return ctx;
}

void cr_zctx_term(void)
{
	if (ctx)
		zmq_ctx_term(ctx);
	ctx = NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void cr_zsignals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int cr_zstopping(void)
{
	return stop_flag != 0;
}

void cr_zstop(void)
{
	stop_flag = 1;
}

void *cr_zsocket(int type, const char *endpoint, int bind, int hwm, int linger_ms, cr_err *err)
{
	return cr_zsocket_hwm(type, endpoint, bind, hwm, hwm, linger_ms, err);
}

void *cr_zsocket_hwm(int type, const char *endpoint, int bind, int sndhwm, int rcvhwm, int linger_ms, cr_err *err)
{
	void *s = zmq_socket(cr_zctx(), type);
	int64_t max = CR_MAX_FRAME;
	int rc;
	*err = CR_OK;
	if (!s) {
		*err = cr_err_from_errno(zmq_errno());
		cr_error("zmq_socket", "err=\"%s\"", zmq_strerror(zmq_errno()));
		return NULL;
	}
	if (sndhwm <= 0)
		sndhwm = CR_ZHWM;
	if (rcvhwm <= 0)
		rcvhwm = CR_ZHWM;
	zmq_setsockopt(s, ZMQ_SNDHWM, &sndhwm, sizeof sndhwm);
	zmq_setsockopt(s, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm);
	zmq_setsockopt(s, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
	zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max, sizeof max);
	rc = bind ? zmq_bind(s, endpoint) : zmq_connect(s, endpoint);
	if (rc != 0) {
		*err = CR_EIO;
		cr_error(bind ? "bind_failed" : "connect_failed", "endpoint=%s err=\"%s\"", endpoint,
			 zmq_strerror(zmq_errno()));
		zmq_close(s);
		return NULL;
	}
	return s;
}

void cr_zclose(void **sock)
{
	if (sock && *sock) {
		zmq_close(*sock);
		*sock = NULL;
	}
}

static cr_err map_zerr(int e)
{
	if (e == EAGAIN)
		return CR_EAGAIN;
	if (e == EINTR || e == ETERM)
		return CR_EINTR;
	return cr_err_from_errno(e);
}

cr_err cr_zsend(void *sock, const void *p, size_t n, int flags)
{
	if (zmq_send(sock, p, n, flags) < 0)
		return map_zerr(zmq_errno());
	return CR_OK;
}

/* ZeroMQ frees a zero-copy message's data from whichever thread drops the
 * last reference (an I/O thread after the write): free() is thread-safe. */
static void free_data(void *data, void *hint)
{
	(void)hint;
	free(data);
}

cr_err cr_zmsg_own(zmq_msg_t *m, void *p, size_t n)
{
	if (zmq_msg_init_data(m, p, n, free_data, NULL) == 0)
		return CR_OK;
	free(p);
	zmq_msg_init(m); /* closable, empty */
	return CR_ENOMEM;
}

cr_err cr_zsend_owned(void *sock, void *p, size_t n, int flags)
{
	zmq_msg_t m;
	cr_err e = cr_zmsg_own(&m, p, n);
	if (e == CR_OK && zmq_msg_send(&m, sock, flags) < 0)
		e = map_zerr(zmq_errno());
	zmq_msg_close(&m); /* frees p unless ZeroMQ holds it */
	return e;
}

/* Packed into a buffer that ZeroMQ then owns: zmq_send would copy it. */
cr_err cr_zsend_pb(void *sock, const ProtobufCMessage *m, int flags)
{
	size_t n;
	void *p = cr_pack(m, &n);
	if (!p)
		return CR_ENOMEM;
	return cr_zsend_owned(sock, p, n, flags);
}

cr_err cr_zrecv(void *sock, cr_zmsg *m, int flags)
{
	int more = 1;
	m->n = 0;
	m->dropped = 0;
	while (more) {
		zmq_msg_t tmp, *dst = m->n < CR_ZMAX_PARTS ? &m->part[m->n] : &tmp;
		zmq_msg_init(dst);
		if (zmq_msg_recv(dst, sock, m->n ? 0 : flags) < 0) {
			int e = zmq_errno();
			zmq_msg_close(dst);
			cr_zmsg_close(m);
			return map_zerr(e);
		}
		more = zmq_msg_more(dst);
		if (dst == &tmp) {
			zmq_msg_close(&tmp);
			m->dropped++;
		} else {
			m->n++;
		}
	}
	return CR_OK;
}

void cr_zmsg_close(cr_zmsg *m)
{
	for (int i = 0; i < m->n; i++)
		zmq_msg_close(&m->part[i]);
	m->n = 0;
}

int cr_zpoll(zmq_pollitem_t *items, int n, long timeout_ms)
{
	int rc;
	if (stop_flag)
		return -1;
	rc = zmq_poll(items, n, timeout_ms);
	if (rc < 0 || stop_flag)
		return -1;
	return rc;
}

cr_err cr_zwatch_start(cr_zwatch *w, void *sock, const char *endpoint)
{
	char addr[64];
	cr_err e;
	memset(w, 0, sizeof *w);
	w->sock = sock;
	snprintf(w->endpoint, sizeof w->endpoint, "%s", endpoint);
	snprintf(addr, sizeof addr, "inproc://cr-watch-%p", sock);
	if (zmq_socket_monitor(sock, addr, ZMQ_EVENT_DISCONNECTED) != 0)
		return cr_err_from_errno(zmq_errno());
	if (!(w->mon = cr_zsocket(ZMQ_PAIR, addr, 0, 100, 0, &e)))
		return e;
	return CR_OK;
}

void cr_zwatch_handle(cr_zwatch *w)
{
	cr_zmsg m;
	int dropped = 0;
	while (cr_zrecv(w->mon, &m, ZMQ_DONTWAIT) == CR_OK) {
		if (m.n >= 1 && cr_zmsg_size(&m, 0) >= 2) {
			uint16_t ev;
			memcpy(&ev, cr_zmsg_data(&m, 0), 2);
			dropped |= ev == ZMQ_EVENT_DISCONNECTED;
		}
		cr_zmsg_close(&m);
	}
	if (!dropped)
		return;
	/* fresh session: the old one may be gone for good (see zio.h) */
	zmq_disconnect(w->sock, w->endpoint);
	if (zmq_connect(w->sock, w->endpoint) == 0)
		w->reconnects++;
	cr_info("reconnect", "endpoint=%s n=%u", w->endpoint, w->reconnects);
}

void cr_zwatch_stop(cr_zwatch *w)
{
	if (w->sock)
		zmq_socket_monitor(w->sock, NULL, 0);
	cr_zclose(&w->mon);
	w->sock = NULL;
}

unsigned long long cr_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000;
}

unsigned long long cr_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000;
}
