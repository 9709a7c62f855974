/* SPDX-License-Identifier: MIT */
/* test_docs.c - runs the doc examples marked runnable and compares their output with the doc. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

/*
 * An example is a fenced block right after a line <!-- example OPTIONS -->
 * (an HTML comment: Markdown renders nothing of it). Its lines starting
 * "$ " are commands, a trailing backslash continues one; the lines after a
 * command are what it prints, stdout and stderr together. docs/testing.md
 * has the options, the wildcards and what is normalized.
 */
#define MARK	      "<!-- example"
#define ANY	      "<any>"
#define OUT_DIR	      "build/tests/out/docs"
#define MAX_DOCS      64
#define MAX_EXAMPLES  256
#define MAX_CMDS      32
#define MAX_NEEDS     8
#define BLOCK_SECONDS 60

struct doc {
	char path[PATH_MAX];	/* as named on the command line, or README.md, docs/NAME.md */
	char scratch[PATH_MAX]; /* where its commands run: links to the repository's files */
	int ready;
	char *text; /* the document, split in place into lines[] */
	char **lines;
};

struct example {
	struct doc *doc;
	int line;		  /* of the marker */
	char name[PATH_MAX + 16]; /* FILE:LINE */
	char opts[256];		  /* what follows "example" in the marker */
	char **lines;		  /* the block's lines, without the fence's indentation */
	int nlines;
	int first;	 /* the document line of lines[0] */
	char error[256]; /* set when the example is badly written */
};

struct command {
	char text[4096]; /* continuation lines joined with their newlines */
	int line;	 /* the document line of its "$ " */
	int first, n;	 /* what it prints: lines[first .. first + n) */
};

/* What a host must have for an example to run; without it the example skips. */
struct need {
	const char *name;
	int (*have)(void);
	const char *lacking;
};

struct opts {
	int status[MAX_CMDS];
	int nstatus;
	int stdout_only;
	const struct need *needs[MAX_NEEDS];
	int nneeds;
};

static struct doc docs[MAX_DOCS];
static int ndocs;
static struct example examples[MAX_EXAMPLES];
static int nexamples;

/* snprintf that ends the program when the text does not fit: paths and names. */
__attribute__((format(printf, 3, 4))) static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "test_docs: too long: %s\n", buf);
		exit(2);
	}
}

static int have_root(void)
{
	return geteuid() == 0;
}

/* --ktrace: the kvm events in tracefs, and the right to use them. */
static int have_ktrace(void)
{
	return have_root() && (access("/sys/kernel/tracing/events/kvm", F_OK) == 0 ||
			       access("/sys/kernel/debug/tracing/events/kvm", F_OK) == 0);
}

/* The paravirtual KVM these documents were written on (README.md). */
static int have_kvm_pvm(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}

/* tracefs, but a kernel built without CONFIG_KPROBE_EVENTS. */
static int have_no_kprobes(void)
{
	return (access("/sys/kernel/tracing/events", F_OK) == 0 &&
		access("/sys/kernel/tracing/kprobe_events", F_OK) != 0) ||
	       (access("/sys/kernel/debug/tracing/events", F_OK) == 0 &&
		access("/sys/kernel/debug/tracing/kprobe_events", F_OK) != 0);
}

/* An empty hugetlb pool: --backing hugetlb cannot map a slot. */
static int have_no_hugepages(void)
{
	size_t len;
	char *n = slurp("/proc/sys/vm/nr_hugepages", &len);
	int yes = n && atol(n) == 0;

	free(n);
	return yes;
}

/* A CPU without 5-level paging: KVM then offers no LA57 to its guests. */
static int have_no_la57(void)
{
	size_t len;
	char *info = slurp("/proc/cpuinfo", &len);
	int yes = info && !strstr(info, " la57");

	free(info);
	return yes;
}

static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	for (const char *p = path ? path : ""; *p;) {
		size_t n = strcspn(p, ":");

		fmt(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (n && access(buf, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

static int have_jq(void)
{
	return on_path("jq");
}

/* Whether minivmm caps --json has key; caps runs once, the first time it is asked. */
static int caps_say(const char *key)
{
	static char *caps;
	static int ran;

	if (!ran) {
		char *argv[] = { (char *)minivmm(), "caps", "--json", NULL };
		size_t len;

		ran = 1;
		if (run_argv(argv, OUT_DIR "/caps.json", OUT_DIR "/caps.err", NULL, 1) == 0)
			caps = slurp(OUT_DIR "/caps.json", &len);
	}
	return caps && strstr(caps, key);
}

/* The nested payloads run: this host's KVM offers SVM, or VMX, to its guests. */
static int have_svm(void)
{
	return caps_say("\"svm_offered\":true");
}

static int have_vmx(void)
{
	return caps_say("\"vmx_offered\":true");
}

static int have_nested(void)
{
	return have_svm() || have_vmx();
}

static const struct need needs[] = {
	{ "root", have_root, "not root" },
	{ "ktrace", have_ktrace, "no kvm events in tracefs, or not root" },
	{ "kvm_pvm", have_kvm_pvm, "this host's KVM is not kvm_pvm" },
	{ "no-kprobes", have_no_kprobes, "this kernel has kprobe events, or no tracefs" },
	{ "no-hugepages", have_no_hugepages, "/proc/sys/vm/nr_hugepages is not 0" },
	{ "no-la57", have_no_la57, "this CPU has LA57" },
	{ "jq", have_jq, "no jq on PATH" },
	{ "nested", have_nested, "minivmm caps: neither VMX nor SVM offered to guests" },
	{ "svm", have_svm, "minivmm caps: no SVM offered to guests" },
	{ "vmx", have_vmx, "minivmm caps: no VMX offered to guests" },
};

static const struct need *need_named(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (strlen(needs[i].name) == len && strncmp(needs[i].name, name, len) == 0)
			return &needs[i];
	return NULL;
}

/* N[,N...] up to end: one wanted exit status for all commands, or one each. */
static int parse_statuses(const char *p, const char *end, struct opts *o)
{
	for (;;) {
		char *e;
		long v = strtol(p, &e, 10);

		if (e == p || v < 0 || v > 255 || o->nstatus == MAX_CMDS)
			return -1;
		o->status[o->nstatus++] = (int)v;
		if (e == end)
			return 0;
		if (*e != ',')
			return -1;
		p = e + 1;
	}
}

/* P[,P...] up to end: what the host must have. */
static int parse_needs(const char *p, const char *end, struct opts *o)
{
	while (p < end) {
		size_t k = strcspn(p, ", ");
		const struct need *w = need_named(p, k);

		if (!w || o->nneeds == MAX_NEEDS)
			return -1;
		o->needs[o->nneeds++] = w;
		p += k + (p[k] == ',');
	}
	return 0;
}

/* The marker's options: status=N[,N...], needs=P[,P...], stdout-only. */
static int parse_opts(const char *s, struct opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	while (*(s += strspn(s, " "))) {
		size_t n = strcspn(s, " ");
		int bad;

		if (n == 11 && strncmp(s, "stdout-only", 11) == 0) {
			bad = o->stdout_only;
			o->stdout_only = 1;
		} else if (n > 7 && strncmp(s, "status=", 7) == 0) {
			bad = parse_statuses(s + 7, s + n, o);
		} else if (n > 6 && strncmp(s, "needs=", 6) == 0) {
			bad = parse_needs(s + 6, s + n, o);
		} else {
			bad = 1;
		}
		if (bad) {
			snprintf(err, errlen, "unknown or bad option '%.*s'", (int)n, s);
			return -1;
		}
		s += n;
	}
	return 0;
}

static size_t indent_of(const char *l)
{
	return strspn(l, " \t");
}

/* The length of the fence (three or more ` or ~) l opens with; 0 if none. */
static size_t fence_of(const char *l)
{
	const char *f = l + indent_of(l);
	size_t n = strspn(f, *f == '~' ? "~" : "`");

	return (*f == '`' || *f == '~') && n >= 3 ? n : 0;
}

/* l closes the block fence opened: the same character, at least as many. */
static int closes(const char *l, const char *fence)
{
	const char *f = l + indent_of(l), *o = fence + indent_of(fence);
	size_t n = fence_of(l);

	return n >= fence_of(fence) && *f == *o && f[n + strspn(f + n, " ")] == '\0';
}

/* Splits text into its lines in place; *n of them. */
static char **split_lines(char *text, int *n)
{
	size_t cap = 64;
	char **v = malloc(cap * sizeof(*v));

	assert_non_null(v);
	*n = 0;
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');

		if ((size_t)*n == cap) {
			v = realloc(v, (cap *= 2) * sizeof(*v));
			assert_non_null(v);
		}
		v[(*n)++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return v;
}

static struct example *new_example(struct doc *d, int line)
{
	struct example *ex;

	if (nexamples == MAX_EXAMPLES) {
		fprintf(stderr, "test_docs: more than %d examples\n", MAX_EXAMPLES);
		exit(1);
	}
	ex = &examples[nexamples++];
	memset(ex, 0, sizeof(*ex));
	ex->doc = d;
	ex->line = line;
	fmt(ex->name, sizeof(ex->name), "%s:%d", d->path, line);
	return ex;
}

/* The marker at lines[i] and the block after it; returns the line after the block. */
static int read_example(struct doc *d, char **lines, int n, int i)
{
	struct example *ex = new_example(d, i + 1);
	const char *m = lines[i] + indent_of(lines[i]) + strlen(MARK);
	const char *end = strstr(m, "-->");
	size_t ind;
	int j;

	if (!end || end[3 + strspn(end + 3, " ")] != '\0' ||
	    (size_t)(end - m) >= sizeof(ex->opts)) {
		snprintf(ex->error, sizeof(ex->error), "the marker does not end with -->");
		return i + 1;
	}
	snprintf(ex->opts, sizeof(ex->opts), "%.*s", (int)(end - m), m);
	if (i + 1 == n || !fence_of(lines[i + 1])) {
		snprintf(ex->error, sizeof(ex->error), "no ``` block right after the marker");
		return i + 1;
	}
	ind = indent_of(lines[i + 1]);
	for (j = i + 2; j < n && !closes(lines[j], lines[i + 1]); j++)
		lines[j] += indent_of(lines[j]) < ind ? indent_of(lines[j]) : ind;
	if (j == n)
		snprintf(ex->error, sizeof(ex->error), "the block does not end");
	ex->lines = lines + i + 2;
	ex->nlines = j - (i + 2);
	ex->first = i + 3;
	return j + 1;
}

static void read_doc(struct doc *d)
{
	size_t len;
	char **lines;
	int n;

	if (!(d->text = slurp(d->path, &len))) {
		fprintf(stderr, "test_docs: cannot read %s: %s\n", d->path, strerror(errno));
		exit(1);
	}
	lines = d->lines = split_lines(d->text, &n);
	for (int i = 0; i < n;) {
		const char *l = lines[i] + indent_of(lines[i]);

		if (strncmp(l, MARK, strlen(MARK)) == 0 &&
		    (l[strlen(MARK)] == ' ' || strncmp(l + strlen(MARK), "-->", 3) == 0)) {
			i = read_example(d, lines, n, i);
		} else if (fence_of(l)) {
			/* An unmarked block may show a marker: it is not one. */
			int open = i;

			for (i++; i < n && !closes(lines[i], lines[open]); i++)
				;
			i++;
		} else {
			i++;
		}
	}
}

static int ends_in_backslash(const char *l)
{
	size_t n = strlen(l);

	return n && l[n - 1] == '\\';
}

/* The block's commands and what each prints; -1 with err set if it has none. */
static int split_commands(const struct example *ex, struct command *c, char *err, size_t errlen)
{
	int n = 0;

	for (int i = 0; i < ex->nlines; i++) {
		const char *l = ex->lines[i];

		if (strncmp(l, "$ ", 2) != 0) {
			if (n == 0) {
				snprintf(err, errlen, "line %d: output before the first '$ '",
					 ex->first + i);
				return -1;
			}
			c[n - 1].n++;
			continue;
		}
		if (n == MAX_CMDS) {
			snprintf(err, errlen, "more than %d commands", MAX_CMDS);
			return -1;
		}
		c[n].line = ex->first + i;
		snprintf(c[n].text, sizeof(c[n].text), "%s", l + 2);
		while (ends_in_backslash(ex->lines[i]) && i + 1 < ex->nlines) {
			size_t used = strlen(c[n].text);

			snprintf(c[n].text + used, sizeof(c[n].text) - used, "\n%s",
				 ex->lines[++i]);
		}
		c[n].first = i + 1;
		c[n++].n = 0;
	}
	if (n == 0)
		snprintf(err, errlen, "no command (a line starting '$ ')");
	return n ? n : -1;
}

/* What varies from run to run or build to build, beyond golden_normalize's rules. */
static const struct varying {
	const char *key;
	int hex; /* the value: 0x and hex digits, else decimal digits */
} varying[] = {
	{ "hash=0x", 1 },	{ "\"hash\":\"0x", 1 }, { "ktime_ns=", 0 },
	{ "\"ktime_ns\":", 0 }, { "t_ns=", 0 },		{ "\"t_ns\":", 0 },
};

static size_t digits(const char *p, int hex)
{
	size_t n = 0;

	while ((p[n] >= '0' && p[n] <= '9') || (hex && p[n] >= 'a' && p[n] <= 'f'))
		n++;
	return n;
}

/*
 * A line as it is compared: golden_normalize's symbol and argument-block
 * rules, then each varying value as <hash> or <ns> (a key's 0x is dropped),
 * then without trailing blanks. Malloc'ed.
 */
static char *normalize_line(const char *l)
{
	size_t len;
	char *g = golden_normalize(l, &len), *out = malloc(len + 16 * strlen(l) + 1), *q = out;

	assert_non_null(out);
	for (const char *p = g; *p;) {
		size_t i, k, v = 0;

		for (i = 0; i < sizeof(varying) / sizeof(varying[0]); i++) {
			k = strlen(varying[i].key);
			if (strncmp(p, varying[i].key, k) == 0 &&
			    (v = digits(p + k, varying[i].hex)))
				break;
		}
		if (!v) {
			*q++ = *p++;
			continue;
		}
		q = stpcpy(q, varying[i].key);
		if (varying[i].hex)
			q -= 2;
		q = stpcpy(q, varying[i].hex ? "<hash>" : "<ns>");
		p += k + v;
	}
	while (q > out && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
		q--;
	*q = '\0';
	free(g);
	return out;
}

/* got matches want, where each <any> in want stands for any characters. */
static int line_matches(const char *w, const char *g)
{
	const char *star = NULL, *mark = NULL;

	while (*g) {
		if (strncmp(w, ANY, strlen(ANY)) == 0) {
			star = w += strlen(ANY);
			mark = g;
		} else if (*w == *g) {
			w++;
			g++;
		} else if (star) {
			w = star;
			g = ++mark;
		} else {
			return 0;
		}
	}
	while (strncmp(w, ANY, strlen(ANY)) == 0)
		w += strlen(ANY);
	return *w == '\0';
}

static int is_ellipsis(const char *l)
{
	return strcmp(l + indent_of(l), "...") == 0;
}

/*
 * got matches want, where a want line "..." stands for any lines. Returns
 * -1 if it does, else the want line that could not be matched (nw: want
 * ended first), the got line there in *bad_got (ng: got ended first).
 */
static int lines_match(char **w, int nw, char **g, int ng, int *bad_got)
{
	int i = 0, j = 0, star = -1, mark = 0, far_i = 0, far_j = 0;

	while (j < ng) {
		if (i < nw && is_ellipsis(w[i])) {
			star = ++i;
			mark = j;
		} else if (i < nw && line_matches(w[i], g[j])) {
			i++;
			j++;
		} else if (star >= 0) {
			i = star;
			j = ++mark;
		} else {
			break;
		}
		if (i > far_i || (i == far_i && j > far_j)) {
			far_i = i;
			far_j = j;
		}
	}
	while (j == ng && i < nw && is_ellipsis(w[i]))
		i++;
	if (j == ng && i == nw)
		return -1;
	*bad_got = far_j;
	return far_i;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A fresh scratch directory for a document's commands: a link to each of the
 * repository's files, ./minivmm and ./minivmm-qemu to the minivmm under test. */
static void make_scratch(struct doc *d)
{
	char cwd[PATH_MAX], from[PATH_MAX * 2], to[PATH_MAX], *bin;
	DIR *dir;
	struct dirent *e;

	nftw(d->scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	assert_int_equal(mkdir(d->scratch, 0755), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(dir = opendir("."));
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "minivmm") ||
		    !strcmp(e->d_name, "minivmm-qemu"))
			continue;
		fmt(from, sizeof(from), "%s/%s", cwd, e->d_name);
		fmt(to, sizeof(to), "%s/%s", d->scratch, e->d_name);
		assert_int_equal(symlink(from, to), 0);
	}
	closedir(dir);
	if (!(bin = realpath(minivmm(), NULL)))
		fail_msg("no minivmm at %s (make builds it)", minivmm());
	fmt(to, sizeof(to), "%s/minivmm", d->scratch);
	assert_int_equal(symlink(bin, to), 0);
	fmt(to, sizeof(to), "%s/minivmm-qemu", d->scratch);
	assert_int_equal(symlink(bin, to), 0);
	free(bin);
	d->ready = 1;
}

/* One bash runs the block's commands in turn, as typed at a prompt: command i
 * prints into ctl/i.out, its status goes to ctl/i.status, and $? stays its. */
static void write_script(const char *path, const char *ctl, const struct command *c, int n,
			 int stdout_only)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (int i = 0; i < n; i++)
		fprintf(f,
			"{\n%s\n} >'%s/%d.out' 2>%s\n"
			"mvm_doc_s=$?; echo $mvm_doc_s >'%s/%d.status'; (exit $mvm_doc_s)\n",
			c[i].text, ctl, i, stdout_only ? "/dev/null" : "&1", ctl, i);
	fprintf(f, "exit 0\n");
	assert_int_equal(fclose(f), 0);
}

/* Runs the script in dir, stdin /dev/null, with a bound; its own output to log. */
static void run_script(const char *dir, const char *script, const char *log)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY),
		    out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
		    chdir(dir) < 0)
			_exit(126);
		unsetenv("BASH_ENV");
		setenv("LC_ALL", "C", 1);
		execlp("bash", "bash", "--noprofile", "--norc", script, (char *)NULL);
		_exit(127);
	}
	for (int t = 0; waitpid(pid, &st, WNOHANG) == 0; t++) {
		if (t == BLOCK_SECONDS * 100) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("the commands did not end in %d s (%s)", BLOCK_SECONDS, log);
		}
		nanosleep(&tick, NULL);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("bash could not run the commands: %s", log);
}

/* Command i printed what the doc shows and exited as wanted. */
static void check_command(const struct example *ex, const struct command *c, int i, const char *ctl,
			  int want_status)
{
	char path[PATH_MAX + 32], **want, **got, *text;
	int ngot, bad, bad_got, status = -1;
	size_t len;

	fmt(path, sizeof(path), "%s/%d.status", ctl, i);
	if ((text = slurp(path, &len))) {
		status = atoi(text);
		free(text);
	}
	fmt(path, sizeof(path), "%s/%d.out", ctl, i);
	if (status < 0 || !(text = slurp(path, &len)))
		fail_msg("%s:%d: the command did not run (see %s/script.log)", ex->doc->path,
			 c->line, ctl);
	got = split_lines(text, &ngot);
	for (int k = 0; k < ngot; k++)
		got[k] = normalize_line(got[k]);
	want = malloc(((size_t)c->n + 1) * sizeof(*want));
	assert_non_null(want);
	for (int k = 0; k < c->n; k++)
		want[k] = normalize_line(ex->lines[c->first + k]);
	bad = lines_match(want, c->n, got, ngot, &bad_got);
	if (bad >= 0)
		fail_msg("%s:%d: the output differs from the doc's\n  doc: %s\n  got: %s\n"
			 "(normalized; the whole output is %s)",
			 ex->doc->path, bad < c->n ? ex->first + c->first + bad : c->line,
			 bad < c->n ? ex->lines[c->first + bad] : "(nothing more)",
			 bad_got < ngot ? got[bad_got] : "(nothing more)", path);
	if (status != want_status)
		fail_msg("%s:%d: exit status %d, the doc's is %d", ex->doc->path, c->line, status,
			 want_status);
	for (int k = 0; k < ngot; k++)
		free(got[k]);
	for (int k = 0; k < c->n; k++)
		free(want[k]);
	free(got);
	free(want);
	free(text);
}

/* Skips (saying why) when the host lacks what the example needs. */
static void skip_unless_host_has(const struct example *ex, const struct opts *o)
{
	if (!kvm_usable()) {
		print_message("%s: skipped: /dev/kvm does not open\n", ex->name);
		skip();
	}
	for (int i = 0; i < o->nneeds; i++) {
		if (!o->needs[i]->have()) {
			print_message("%s: skipped: needs %s (%s)\n", ex->name, o->needs[i]->name,
				      o->needs[i]->lacking);
			skip();
		}
	}
}

static void test_example(void **state)
{
	const struct example *ex = *state;
	struct command c[MAX_CMDS];
	struct opts o;
	char err[256], ctl[PATH_MAX], script[PATH_MAX + 16], log[PATH_MAX + 16];
	int n = 0;

	if (ex->error[0])
		fail_msg("%s: %s", ex->name, ex->error);
	if (parse_opts(ex->opts, &o, err, sizeof(err)) < 0 ||
	    (n = split_commands(ex, c, err, sizeof(err))) < 0)
		fail_msg("%s: %s", ex->name, err);
	if (o.nstatus > 1 && o.nstatus != n)
		fail_msg("%s: %d statuses for %d commands", ex->name, o.nstatus, n);
	skip_unless_host_has(ex, &o);
	if (!ex->doc->ready)
		make_scratch(ex->doc);
	fmt(ctl, sizeof(ctl), "%s.%d", ex->doc->scratch, ex->line);
	nftw(ctl, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	assert_int_equal(mkdir(ctl, 0755), 0);
	fmt(script, sizeof(script), "%s/script.sh", ctl);
	fmt(log, sizeof(log), "%s/script.log", ctl);
	write_script(script, ctl, c, n, o.stdout_only);
	run_script(ex->doc->scratch, script, log);
	for (int i = 0; i < n; i++)
		check_command(ex, &c[i], i, ctl, o.nstatus > 1 ? o.status[i] : o.status[0]);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds each DIR/NAME.md to docs[], in name order. */
static void add_dir(const char *dir)
{
	char *names[MAX_DOCS];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len <= 3 || strcmp(e->d_name + len - 3, ".md") != 0)
			continue;
		if (ndocs + n == MAX_DOCS) {
			fprintf(stderr, "test_docs: more than %d documents\n", MAX_DOCS);
			exit(2);
		}
		names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		fmt(docs[ndocs++].path, sizeof(docs[0].path), "%s/%s", dir, names[i]);
		free(names[i]);
	}
}

/* README.md, then each docs/NAME.md, then each docs/labs/NAME.md, in name order. */
static void default_docs(void)
{
	fmt(docs[ndocs++].path, sizeof(docs[0].path), "README.md");
	add_dir("docs");
	add_dir("docs/labs");
}

/*
 * The scratch directory's name: a document under docs/ is named by its path
 * there with '/' as '-' (docs/memory.md: memory.md, docs/labs/README.md:
 * labs-README.md, not README.md's), any other by its file name.
 */
static void scratch_name(char *buf, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	char *p;

	if (strncmp(path, "docs/", 5) != 0) {
		fmt(buf, size, "%s", base ? base + 1 : path);
		return;
	}
	fmt(buf, size, "%s", path + 5);
	for (p = buf; (p = strchr(p, '/')); p++)
		*p = '-';
}

/* Usage: test_docs [FILE.md ...], from the repository's root. */
int main(int argc, char **argv)
{
	static struct CMUnitTest tests[MAX_EXAMPLES];
	char cwd[PATH_MAX];
	int failed;

	if (argc > MAX_DOCS) {
		fprintf(stderr, "test_docs: at most %d documents\n", MAX_DOCS - 1);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		fmt(docs[ndocs++].path, sizeof(docs[0].path), "%s", argv[i]);
	if (argc == 1)
		default_docs();
	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	for (int i = 0; i < ndocs; i++) {
		char name[PATH_MAX];

		scratch_name(name, sizeof(name), docs[i].path);
		fmt(docs[i].scratch, sizeof(docs[i].scratch), "%s/" OUT_DIR "/%s", cwd, name);
		read_doc(&docs[i]);
	}
	for (int i = 0; i < nexamples; i++)
		tests[i] = (struct CMUnitTest){ examples[i].name, test_example, NULL, NULL,
						&examples[i] };
	failed = _cmocka_run_group_tests("docs", tests, (size_t)nexamples, NULL, NULL);
	for (int i = 0; i < ndocs; i++) {
		free(docs[i].lines);
		free(docs[i].text);
	}
	return failed ? 1 : kvm_usable() ? 0 : 77;
}
