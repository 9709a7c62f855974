/* SPDX-License-Identifier: MIT */
/* stats.c - owns --stats: reading KVM's binary stats and recording what changed. */
#include "stats.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contrib.h"

static const char *const type_names[] = { "cumulative", "instant", "peak", "linear_hist",
					  "log_hist" };
static const char *const unit_names[] = { "none", "bytes", "seconds", "cycles", "boolean" };

const char *stats_type_name(uint32_t flags)
{
	uint32_t t = (flags & KVM_STATS_TYPE_MASK) >> KVM_STATS_TYPE_SHIFT;

	return t < ARRAY_SIZE(type_names) ? type_names[t] : "unknown";
}

const char *stats_unit_name(uint32_t flags)
{
	uint32_t u = (flags & KVM_STATS_UNIT_MASK) >> KVM_STATS_UNIT_SHIFT;

	return u < ARRAY_SIZE(unit_names) ? unit_names[u] : "unknown";
}

static bool parse_desc(struct stats_set *set, const uint8_t *p, uint32_t name_size,
		       struct errbuf *err)
{
	struct stat_desc *d = &set->desc[set->ndesc];
	struct kvm_stats_desc raw;
	size_t end;

	memcpy(&raw, p, sizeof(raw));
	d->flags = raw.flags;
	d->exponent = raw.exponent;
	d->size = raw.size;
	d->offset = raw.offset;
	d->bucket_size = raw.bucket_size;
	snprintf(d->name, sizeof(d->name), "%.*s",
		 (int)strnlen((const char *)p + sizeof(raw), name_size),
		 (const char *)p + sizeof(raw));
	if (d->size == 0 || d->offset % 8 ||
	    __builtin_add_overflow((size_t)d->offset, (size_t)d->size * 8, &end)) {
		errbuf_set(err, "stats descriptor %s: bad offset %u or size %u", d->name, d->offset,
			   d->size);
		return false;
	}
	if (end > set->data_size)
		set->data_size = end;
	set->ndesc++;
	return true;
}

bool stats_parse(struct stats_set *set, const void *buf, size_t len, struct errbuf *err)
{
	const uint8_t *b = buf;
	struct kvm_stats_header h;
	size_t stride, need;

	if (len < sizeof(h)) {
		errbuf_set(err, "stats header: %zu bytes, need %zu", len, sizeof(h));
		return false;
	}
	memcpy(&h, b, sizeof(h));
	stride = sizeof(struct kvm_stats_desc) + h.name_size;
	if (h.name_size == 0 || h.name_size > 4096 || h.num_desc > 65536 || h.id_offset > len ||
	    h.name_size > len - h.id_offset ||
	    __builtin_mul_overflow(stride, (size_t)h.num_desc, &need) || h.desc_offset > len ||
	    need > len - h.desc_offset) {
		errbuf_set(err,
			   "stats header: name_size %u, %u descriptors at %u, id at %u do not "
			   "fit in %zu bytes",
			   h.name_size, h.num_desc, h.desc_offset, h.id_offset, len);
		return false;
	}
	snprintf(set->id, sizeof(set->id), "%.*s",
		 (int)strnlen((const char *)b + h.id_offset, h.name_size),
		 (const char *)b + h.id_offset);
	set->data_offset = h.data_offset;
	set->desc = calloc(h.num_desc ? h.num_desc : 1, sizeof(*set->desc));
	if (!set->desc) {
		errbuf_set(err, "out of memory");
		return false;
	}
	for (uint32_t i = 0; i < h.num_desc; i++)
		if (!parse_desc(set, b + h.desc_offset + i * stride, h.name_size, err))
			return false;
	return true;
}

bool stats_changed(const struct stats_set *set, const struct stat_desc *d, uint64_t *delta)
{
	const uint64_t *a = set->last + d->offset / 8, *n = set->now + d->offset / 8;
	uint32_t type = d->flags & KVM_STATS_TYPE_MASK;
	uint64_t sum_a = 0, sum_n = 0;
	bool changed = false;

	for (uint16_t i = 0; i < d->size; i++) {
		changed |= a[i] != n[i];
		sum_a += a[i];
		sum_n += n[i];
	}
	if (type == KVM_STATS_TYPE_INSTANT || type == KVM_STATS_TYPE_PEAK)
		*delta = n[0];
	else
		*delta = sum_n - sum_a;
	return changed;
}

void stats_free(struct stats_set *set)
{
	if (set->fd >= 0)
		close(set->fd);
	free(set->desc);
	free(set->last);
	free(set->now);
	memset(set, 0, sizeof(*set));
	set->fd = -1;
}

/* Reads a stats fd's layout and its first values into set. */
static int stats_load(struct stats_set *set, int fd, const char *scope, struct errbuf *err)
{
	struct kvm_stats_header h;
	size_t len;
	uint8_t *buf;
	bool ok;

	memset(set, 0, sizeof(*set));
	set->fd = fd;
	snprintf(set->scope, sizeof(set->scope), "%s", scope);
	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		errbuf_set(err, "cannot read the %s stats header: %s", scope, strerror(errno));
		return MVM_STATUS_HOST;
	}
	len = (size_t)h.desc_offset +
	      (size_t)h.num_desc * (sizeof(struct kvm_stats_desc) + h.name_size);
	if (len < (size_t)h.id_offset + h.name_size)
		len = (size_t)h.id_offset + h.name_size;
	buf = malloc(len);
	if (!buf || pread(fd, buf, len, 0) != (ssize_t)len) {
		errbuf_set(err, "cannot read the %s stats descriptors", scope);
		free(buf);
		return MVM_STATUS_HOST;
	}
	ok = stats_parse(set, buf, len, err);
	free(buf);
	if (!ok)
		return MVM_STATUS_HOST;
	set->last = calloc(1, set->data_size + 8);
	set->now = calloc(1, set->data_size + 8);
	if (!set->last || !set->now ||
	    pread(fd, set->last, set->data_size, set->data_offset) != (ssize_t)set->data_size) {
		errbuf_set(err, "cannot read the %s stats values", scope);
		return MVM_STATUS_HOST;
	}
	return 0;
}

/* The VM's stats, then each vCPU's, in id order. */
struct stats {
	struct stats_set vm;
	int nvcpus;
	struct stats_set vcpu[];
};

static int stats_open(struct machine *m, void **state, struct errbuf *err)
{
	struct stats *st = calloc(1, sizeof(*st) + (size_t)m->nvcpus * sizeof(st->vcpu[0]));
	int fd;

	*state = st;
	if (!st) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	st->vm.fd = -1;
	for (int i = 0; i < m->nvcpus; i++)
		st->vcpu[i].fd = -1;
	st->nvcpus = m->nvcpus;
	if (!kvm_cap(&m->kvm, KVM_CAP_BINARY_STATS_FD)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_BINARY_STATS_FD (--stats)");
		return MVM_STATUS_HOST;
	}
	fd = ioctl_raw(m->fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0) {
		errbuf_set(err, "KVM_GET_STATS_FD failed for the VM: %s", strerror(-fd));
		return MVM_STATUS_HOST;
	}
	return stats_load(&st->vm, fd, "vm", err);
}

static int stats_open_vcpu(void *state, struct vcpu *v, int index, struct errbuf *err)
{
	struct stats *st = state;
	char scope[16];
	int fd = ioctl_raw(v->fd, KVM_GET_STATS_FD, NULL);

	(void)index;
	if (fd < 0) {
		errbuf_set(err, "KVM_GET_STATS_FD failed for vCPU %d: %s", v->id, strerror(-fd));
		return MVM_STATUS_HOST;
	}
	snprintf(scope, sizeof(scope), "vcpu%d", v->id);
	return stats_load(&st->vcpu[v->id], fd, scope, err);
}

static void record_changes(struct vcpu *v, struct stats_set *set, const char *at, uint64_t id)
{
	for (uint32_t i = 0; i < set->ndesc; i++) {
		const struct stat_desc *d = &set->desc[i];
		struct record r;
		uint64_t delta;

		if (!stats_changed(set, d, &delta))
			continue;
		vcpu_rec_begin(v, &r, "kstat");
		rec_word(&r, "at", at);
		if (strcmp(at, "checkpoint") == 0)
			rec_u64(&r, "id", id);
		rec_word(&r, "scope", set->scope);
		rec_word(&r, "name", d->name);
		rec_word(&r, "stat_type", stats_type_name(d->flags)); /* "type" is the kind's */
		rec_word(&r, "unit", stats_unit_name(d->flags));
		if (d->exponent) {
			rec_i64(&r, "exponent", d->exponent);
			rec_word(&r, "base",
				 (d->flags & KVM_STATS_BASE_MASK) == KVM_STATS_BASE_POW2 ? "pow2"
											 : "pow10");
		}
		rec_u64(&r,
			(d->flags & KVM_STATS_TYPE_MASK) == KVM_STATS_TYPE_INSTANT ||
					(d->flags & KVM_STATS_TYPE_MASK) == KVM_STATS_TYPE_PEAK
				? "value"
				: "delta",
			delta);
		vcpu_emit(v, &r);
	}
}

/* Reads set again and records what changed; false after a host error. */
static bool record_set(struct vcpu *v, struct stats_set *set, const char *at, uint64_t id)
{
	ssize_t n;
	uint64_t *t;

	if (set->fd < 0)
		return true;
	n = pread(set->fd, set->now, set->data_size, set->data_offset);
	if (n != (ssize_t)set->data_size) {
		runlog_host_error(&v->m->log, "reading the %s stats failed: %s", set->scope,
				  n < 0 ? strerror(errno) : "short read");
		return false;
	}
	record_changes(v, set, at, id);
	t = set->last;
	set->last = set->now;
	set->now = t;
	return true;
}

static void stats_record(struct stats *st, struct vcpu *v, const char *at, uint64_t id)
{
	if (!record_set(v, &st->vm, at, id))
		return;
	for (int i = 0; i < st->nvcpus; i++)
		if (!record_set(v, &st->vcpu[i], at, id))
			return;
}

static void stats_checkpoint(void *state, struct vcpu *v, int index, uint64_t id)
{
	(void)index;
	stats_record(state, v, "checkpoint", id);
}

static void stats_at_end(void *state, struct machine *m, int index)
{
	(void)index;
	if (m->contribs->nvcpus)
		stats_record(state, &m->contribs->vcpus[0], "end", 0);
}

static void stats_close(void *state, struct machine *m)
{
	struct stats *st = state;

	(void)m;
	if (!st)
		return;
	stats_free(&st->vm);
	for (int i = 0; i < st->nvcpus; i++)
		stats_free(&st->vcpu[i]);
	free(st);
}

static bool stats_wanted(const struct machine *m)
{
	return m->opt.stats;
}

const struct contrib_ops stats_contrib = {
	.name = "stats",
	.wanted = stats_wanted,
	.open = stats_open,
	.open_vcpu = stats_open_vcpu,
	.checkpoint = stats_checkpoint,
	.at_end = stats_at_end,
	.close = stats_close,
};
