/* SPDX-License-Identifier: MIT */
/* fuzzutil.c - the harnesses' shared checks: a strict JSON validator, one-line output, messages. */
#include "fuzz.h"

/* A JSON text of one value, RFC 8259 to the letter; why says what is wrong. */
struct json {
	const unsigned char *p, *end;
	const char *why;
	int depth;
};

#define JSON_DEPTH_MAX 64

static bool json_fail(struct json *j, const char *why)
{
	if (!j->why)
		j->why = why;
	return false;
}

static void json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool json_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return json_fail(j, "bad literal");
	j->p += n;
	return true;
}

static bool json_digits(struct json *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s || json_fail(j, "a number without digits");
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static bool json_number(struct json *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!json_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!json_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '-' || *j->p == '+'))
			j->p++;
		if (!json_digits(j))
			return false;
	}
	return true;
}

/* Four hex digits after \u. */
static bool json_hex4(struct json *j, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++, j->p++) {
		unsigned char c = j->p < j->end ? *j->p : 0;
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (d < 0)
			return json_fail(j, "\\u without four hex digits");
		*v = *v << 4 | (unsigned)d;
	}
	return true;
}

/* After the backslash; a surrogate must come as a pair. */
static bool json_escape(struct json *j)
{
	unsigned v, lo;

	if (j->p >= j->end)
		return json_fail(j, "unfinished escape");
	if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
		j->p++;
		return true;
	}
	if (*j->p++ != 'u')
		return json_fail(j, "unknown escape");
	if (!json_hex4(j, &v))
		return false;
	if (v >= 0xdc00 && v <= 0xdfff)
		return json_fail(j, "lone low surrogate");
	if (v < 0xd800 || v > 0xdbff)
		return true;
	if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
		return json_fail(j, "high surrogate without its low one");
	j->p += 2;
	if (!json_hex4(j, &lo))
		return false;
	return (lo >= 0xdc00 && lo <= 0xdfff) || json_fail(j, "bad low surrogate");
}

/* One UTF-8 sequence: shortest form, no surrogates, at most U+10FFFF. */
static bool json_utf8(struct json *j)
{
	unsigned char c = *j->p;
	unsigned n, v, min;

	if (c >= 0xc2 && c <= 0xdf)
		n = 1, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, v = c & 0x07, min = 0x10000;
	else
		return json_fail(j, "invalid UTF-8 lead byte");
	if ((size_t)(j->end - j->p) <= n)
		return json_fail(j, "truncated UTF-8");
	for (unsigned i = 1; i <= n; i++) {
		if ((j->p[i] & 0xc0) != 0x80)
			return json_fail(j, "invalid UTF-8 continuation");
		v = v << 6 | (j->p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return json_fail(j, "overlong, surrogate or too large UTF-8");
	j->p += n + 1;
	return true;
}

static bool json_string(struct json *j)
{
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return json_fail(j, "control character in a string");
		if (*j->p == '\\') {
			j->p++;
			if (!json_escape(j))
				return false;
		} else if (*j->p >= 0x80) {
			if (!json_utf8(j))
				return false;
		} else {
			j->p++;
		}
	}
	if (j->p >= j->end)
		return json_fail(j, "unterminated string");
	j->p++;
	return true;
}

static bool json_value(struct json *j);

/* An object (close '}') or an array (close ']'), after its opening bracket. */
static bool json_members(struct json *j, unsigned char close)
{
	if (++j->depth > JSON_DEPTH_MAX)
		return json_fail(j, "nested too deep");
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (close == '}') {
			json_ws(j);
			if (j->p >= j->end || *j->p != '"')
				return json_fail(j, "a key that is not a string");
			if (!json_string(j))
				return false;
			json_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return json_fail(j, "no ':' after a key");
		}
		if (!json_value(j))
			return false;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		return json_fail(j, "no ',' or closing bracket");
	}
}

static bool json_value(struct json *j)
{
	json_ws(j);
	if (j->p >= j->end)
		return json_fail(j, "no value");
	switch (*j->p) {
	case '{':
		return json_members(j, '}');
	case '[':
		return json_members(j, ']');
	case '"':
		return json_string(j);
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	case 'n':
		return json_lit(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return json_number(j);
		return json_fail(j, "not a value");
	}
}

const char *fuzz_json_object_error(const char *s, size_t n)
{
	struct json j = { (const unsigned char *)s, (const unsigned char *)s + n, NULL, 0 };

	json_ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return "not an object";
	if (!json_value(&j))
		return j.why;
	json_ws(&j);
	return j.p == j.end ? NULL : "text after the value";
}

void fuzz_check_line(const char *s, size_t n, const char *what)
{
	FUZZ_CHECK(n > 0 && s[n - 1] == '\n', "%s: no newline at the end: '%.*s'", what, (int)n, s);
	FUZZ_CHECK(!fuzz_has_control(s, n - 1), "%s: a control character inside: '%.*s'", what,
		   (int)n - 1, s);
}

void fuzz_check_message(const char *msg, size_t cap, const uint8_t *data, size_t size)
{
	FUZZ_CHECK(memchr(msg, 0, cap), "message not terminated");
	FUZZ_CHECK(msg[0], "refused without a message");
	for (const char *c = msg; *c; c++)
		FUZZ_CHECK(!fuzz_has_control(c, 1) || memchr(data, *c, size),
			   "control character 0x%02x in '%s' that the input does not have",
			   (unsigned char)*c, msg);
}

int fuzz_split_words(const uint8_t *data, size_t size, char **words, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < size && n < max) {
		const uint8_t *nul = memchr(data + i, 0, size - i);
		size_t len = nul ? (size_t)(nul - (data + i)) : size - i;

		words[n++] = fuzz_dup(data + i, len, true);
		i += len + 1;
	}
	return n;
}

void fuzz_free_words(char **words, int n)
{
	for (int i = 0; i < n; i++)
		free(words[i]);
}
