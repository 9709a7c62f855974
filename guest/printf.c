/* SPDX-License-Identifier: MIT */
/* printf.c - vsnprintf for payloads: integers, strings, chars; no floating point. */
#include "mvm_lib.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* what the whole output would take, as C's vsnprintf counts */
};

struct fmt_spec {
	unsigned int width;
	int zero;
	int alt;
	int left;
	int size; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, unsigned int n)
{
	while (n--)
		fmt_put(o, c);
}

/*
 * Divides *n by base in place and returns the remainder, 16 bits at a time:
 * a plain 64-bit division would make gcc call libgcc's __udivdi3 in the
 * -m16 and -m32 builds, and payloads link no libgcc.
 */
static unsigned int fmt_divmod(uint64_t *n, unsigned int base)
{
	uint64_t q = 0;
	uint32_t r = 0;
	int shift;

	for (shift = 48; shift >= 0; shift -= 16) {
		uint32_t cur = (r << 16) | (uint32_t)((*n >> shift) & 0xffff);

		q |= (uint64_t)(cur / base) << shift;
		r = cur % base;
	}
	*n = q;
	return r;
}

static void fmt_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	size_t n = strlen(s);
	unsigned int pad = sp->width > n ? sp->width - (unsigned int)n : 0;

	if (!sp->left)
		fmt_pad(o, ' ', pad);
	while (*s)
		fmt_put(o, *s++);
	if (sp->left)
		fmt_pad(o, ' ', pad);
}

static void fmt_num(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, int neg,
		    unsigned int base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = neg ? "-" : "";
	char tmp[24];
	unsigned int n = 0, plen, pad;

	if (sp->alt && base == 16 && v)
		prefix = upper ? "0X" : "0x";
	do
		tmp[n++] = digits[fmt_divmod(&v, base)];
	while (v);

	plen = (unsigned int)strlen(prefix);
	pad = sp->width > n + plen ? sp->width - n - plen : 0;
	if (!sp->left && !sp->zero)
		fmt_pad(o, ' ', pad);
	while (*prefix)
		fmt_put(o, *prefix++);
	if (!sp->left && sp->zero)
		fmt_pad(o, '0', pad);
	while (n)
		fmt_put(o, tmp[--n]);
	if (sp->left)
		fmt_pad(o, ' ', pad);
}

/* Parses flags, width and length modifier; returns the conversion character's position. */
static const char *fmt_parse(const char *f, struct fmt_spec *sp)
{
	*sp = (struct fmt_spec){ 0 };
	for (;; f++) {
		if (*f == '0')
			sp->zero = 1;
		else if (*f == '#')
			sp->alt = 1;
		else if (*f == '-')
			sp->left = 1;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (unsigned int)(*f++ - '0');
	if (*f == 'z') {
		sp->size = 3;
		f++;
	}
	while (*f == 'l' && sp->size < 2) {
		sp->size++;
		f++;
	}
	return f;
}

static uint64_t fmt_arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->size) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t fmt_arg_signed(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->size) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

static void fmt_conv(struct fmt_out *o, struct fmt_spec *sp, char c, va_list *ap)
{
	const char *s;
	int64_t sv;

	switch (c) {
	case 'd':
	case 'i':
		sv = fmt_arg_signed(sp, ap);
		/* Negate as unsigned so INT64_MIN does not overflow. */
		fmt_num(o, sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, 0);
		break;
	case 'u': fmt_num(o, sp, fmt_arg_unsigned(sp, ap), 0, 10, 0); break;
	case 'x':
	case 'X': fmt_num(o, sp, fmt_arg_unsigned(sp, ap), 0, 16, c == 'X'); break;
	case 'p':
		sp->alt = 1;
		fmt_num(o, sp, (uintptr_t)va_arg(*ap, void *), 0, 16, 0);
		break;
	case 'c': fmt_put(o, (char)va_arg(*ap, int)); break;
	case 's':
		s = va_arg(*ap, const char *);
		fmt_str(o, sp, s ? s : "(null)");
		break;
	case '%': fmt_put(o, '%'); break;
	default:
		/* Unknown conversion: show it, so the mistake is visible in the output. */
		fmt_put(o, '%');
		fmt_put(o, c);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	struct fmt_spec sp;
	va_list aq;

	/* A copy, so helpers can take its address: va_list is an array type on x86-64. */
	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_put(&o, *fmt++);
			continue;
		}
		fmt = fmt_parse(fmt + 1, &sp);
		if (!*fmt)
			break;
		fmt_conv(&o, &sp, *fmt++, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
