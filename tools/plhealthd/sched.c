// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: one binary min-heap of timers (probe starts, probe timeouts)
 * behind one timerfd armed for the earliest.  Timers with the same expiry
 * run in the order they were armed (a sequence number breaks ties), so a
 * probe's timeout armed before the target's next start runs first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "plhealthd.h"

#define NOT_ARMED ((size_t)-1)

struct slot {
	struct plh_timer *t;
	uint64_t seq;
};

static struct slot *heap;
static size_t n, cap;
static uint64_t seq;
static int tfd = -1;
static uint64_t armed_for;	/* what the timerfd is set to, 0 none */
static bool firing;		/* in sched_fire(): it sets the timerfd last */
static struct plh_io sched_io;

static bool before(const struct slot *a, const struct slot *b)
{
	if (a->t->when != b->t->when)
		return a->t->when < b->t->when;
	return a->seq < b->seq;
}

static void place(size_t i, struct slot s)
{
	heap[i] = s;
	s.t->idx = i;
}

static void sift_up(size_t i)
{
	struct slot s = heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!before(&s, &heap[p]))
			break;
		place(i, heap[p]);
		i = p;
	}
	place(i, s);
}

static void sift_down(size_t i)
{
	struct slot s = heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && before(&heap[c + 1], &heap[c]))
			c++;
		if (!before(&heap[c], &s))
			break;
		place(i, heap[c]);
		i = c;
	}
	place(i, s);
}

/* Set the timerfd to the earliest timer (absolute, CLOCK_MONOTONIC). */
static void rearm(void)
{
	struct itimerspec its = {};
	uint64_t when = n ? heap[0].t->when : 0;

	if (firing || when == armed_for)
		return;
	if (n) {
		if (!when)
			when = 1;	/* 0 would disarm it */
		its.it_value.tv_sec = when / NSEC_PER_SEC;
		its.it_value.tv_nsec = when % NSEC_PER_SEC;
	}
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		plh_log("Error: timerfd_settime: %s", strerror(errno));
	armed_for = when;
}

void timer_init(struct plh_timer *t, void (*fn)(struct plh_timer *, uint64_t))
{
	t->when = 0;
	t->idx = NOT_ARMED;
	t->fn = fn;
}

static void remove_at(size_t i)
{
	struct plh_timer *t = heap[i].t;

	t->idx = NOT_ARMED;
	n--;
	if (i == n)
		return;
	place(i, heap[n]);
	if (i > 0 && before(&heap[i], &heap[(i - 1) / 2]))
		sift_up(i);
	else
		sift_down(i);
}

void timer_cancel(struct plh_timer *t)
{
	if (t->idx == NOT_ARMED)
		return;
	remove_at(t->idx);
	rearm();
}

void timer_arm(struct plh_timer *t, uint64_t when)
{
	if (t->idx != NOT_ARMED)
		remove_at(t->idx);
	if (n == cap) {
		size_t ncap = cap ? 2 * cap : 256;
		struct slot *h = realloc(heap, ncap * sizeof(*h));

		if (!h) {
			plh_log("Error: out of memory (timers)");
			exit(1);
		}
		heap = h;
		cap = ncap;
	}
	t->when = when;
	heap[n].t = t;
	heap[n].seq = seq++;
	t->idx = n;
	n++;
	sift_up(n - 1);
	rearm();
}

/* The timerfd fired: run every timer that is due, in order. */
static void sched_fire(struct plh_io *io, uint32_t events)
{
	uint64_t ticks, now;

	(void)io;
	(void)events;
	if (read(tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		plh_log("Error: timerfd read: %s", strerror(errno));
	now = plh_now();
	firing = true;		/* one timerfd_settime() at the end, not one per timer */
	while (n && heap[0].t->when <= now) {
		struct plh_timer *t = heap[0].t;

		remove_at(0);
		t->fn(t, now);
	}
	firing = false;
	armed_for = (uint64_t)-1;	/* force the timerfd to be set */
	rearm();
}

int sched_init(void)
{
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tfd < 0) {
		plh_log("Error: timerfd_create: %s", strerror(errno));
		return -1;
	}
	sched_io.fn = sched_fire;
	return plh_io_add(tfd, EPOLLIN, &sched_io);
}

void sched_exit(void)
{
	if (tfd >= 0)
		close(tfd);
	tfd = -1;
	free(heap);
	heap = NULL;
	n = cap = 0;
}
