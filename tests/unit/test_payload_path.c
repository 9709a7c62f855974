/* SPDX-License-Identifier: MIT */
/* test_payload_path.c - a bare payload name looked up in a list of directories. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "payload_path.h"
#include "testutil.h"

/* A scratch tree: root/a, root/b, root/c (c holds a directory named like a payload). */
struct tree {
	char root[256];
	char a[300], b[300], c[300];
};

static void mkfile(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	spit(path, "x", 1);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct tree *t = calloc(1, sizeof(*t));
	char d[512];

	assert_non_null(t);
	snprintf(t->root, sizeof(t->root), "%s/mvm-payload-path-XXXXXX", tmp);
	assert_non_null(mkdtemp(t->root));
	snprintf(t->a, sizeof(t->a), "%s/a", t->root);
	snprintf(t->b, sizeof(t->b), "%s/b", t->root);
	snprintf(t->c, sizeof(t->c), "%s/c", t->root);
	assert_int_equal(mkdir(t->a, 0755), 0);
	assert_int_equal(mkdir(t->b, 0755), 0);
	assert_int_equal(mkdir(t->c, 0755), 0);
	mkfile(t->a, "only_a.bin");
	mkfile(t->a, "both.bin");
	mkfile(t->b, "both.bin");
	mkfile(t->b, "plain");
	mkfile(t->b, "plain.bin");
	mkfile(t->b, "dir_in_c.bin");
	mkfile(t->a, "here.bin");
	mkfile(t->root, "here.bin");
	snprintf(d, sizeof(d), "%s/dir_in_c", t->c);
	assert_int_equal(mkdir(d, 0755), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

/* find(name) over search gives want (a path) or, want NULL, fails with an error holding msg. */
static void expect_find(const char *name, const char *search, const char *want, const char *msg)
{
	struct errbuf err = { "" };
	char out[1024] = "";
	bool ok = payload_path_find(name, search, out, sizeof(out), &err);

	if (want && (!ok || strcmp(out, want)))
		fail_msg("%s over '%s': wanted %s, got %s%s", name, search, want,
			 ok ? out : "failure: ", ok ? "" : err.msg);
	if (!want && ok)
		fail_msg("%s over '%s': wanted a failure, got %s", name, search, out);
	if (!want && !strstr(err.msg, msg))
		fail_msg("%s over '%s': wanted an error with '%s', got '%s'", name, search, msg,
			 err.msg);
}

static void search_list(void **state)
{
	char out[64];

	(void)state;
	payload_path_search("/x:/y", "/usr/share/minivmm/payloads", out, sizeof(out));
	assert_string_equal(out, "/x:/y:/usr/share/minivmm/payloads");
	payload_path_search(NULL, "/p", out, sizeof(out));
	assert_string_equal(out, "/p");
	payload_path_search("", "/p", out, sizeof(out));
	assert_string_equal(out, "/p");
	payload_path_search("/x", "", out, sizeof(out));
	assert_string_equal(out, "/x");
	payload_path_search(NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

/* With a '/', the name is a path: never searched, even when it is missing. */
static void slash_is_a_path(void **state)
{
	struct tree *t = *state;
	char search[700];

	snprintf(search, sizeof(search), "%s:%s", t->a, t->b);
	expect_find("./only_a.bin", search, "./only_a.bin", NULL);
	expect_find("x/both", search, "x/both", NULL);
}

static void first_directory_wins(void **state)
{
	struct tree *t = *state;
	char search[700], want[700];

	snprintf(search, sizeof(search), "%s:%s", t->a, t->b);
	snprintf(want, sizeof(want), "%s/both.bin", t->a);
	expect_find("both", search, want, NULL);
	expect_find("both.bin", search, want, NULL);
	snprintf(search, sizeof(search), "%s:%s", t->b, t->a);
	snprintf(want, sizeof(want), "%s/both.bin", t->b);
	expect_find("both", search, want, NULL);
	snprintf(want, sizeof(want), "%s/only_a.bin", t->a);
	expect_find("only_a", search, want, NULL);
}

/* NAME before NAME.bin in one directory; empty entries and directories are passed over. */
static void name_then_bin(void **state)
{
	struct tree *t = *state;
	char search[1000], want[700];

	snprintf(search, sizeof(search), "::%s::%s:", t->c, t->b);
	snprintf(want, sizeof(want), "%s/plain", t->b);
	expect_find("plain", search, want, NULL);
	snprintf(want, sizeof(want), "%s/plain.bin", t->b);
	expect_find("plain.bin", search, want, NULL);
	snprintf(want, sizeof(want), "%s/dir_in_c.bin", t->b);
	expect_find("dir_in_c", search, want, NULL);
}

/* A name that exists in the current directory is taken as it is. */
static void here_first(void **state)
{
	struct tree *t = *state;
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	char search[700];

	assert_true(cwd >= 0);
	assert_int_equal(chdir(t->root), 0);
	snprintf(search, sizeof(search), "%s", t->a);
	expect_find("here.bin", search, "here.bin", NULL);
	/* "here" alone is not in the current directory: the search finds a's. */
	snprintf(search, sizeof(search), "%s/here.bin", t->a);
	expect_find("here", t->a, search, NULL);
	/* A directory of that name here is given as it is: reading it says what is wrong. */
	expect_find("a", t->b, "a", NULL);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
}

/* Nothing found: one message naming the name, its .bin and every directory searched. */
static void not_found(void **state)
{
	struct tree *t = *state;
	char search[700], msg[800];

	snprintf(search, sizeof(search), "%s:%s", t->a, t->b);
	snprintf(msg, sizeof(msg),
		 "no payload nothere: not in this directory, nor as nothere or "
		 "nothere.bin in %s",
		 search);
	expect_find("nothere", search, NULL, msg);
	expect_find("nothere", "", NULL, "set MINIVMM_PAYLOAD_PATH");
	expect_find("nothere", NULL, NULL, "set MINIVMM_PAYLOAD_PATH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(search_list),
		cmocka_unit_test_setup_teardown(slash_is_a_path, setup, teardown),
		cmocka_unit_test_setup_teardown(first_directory_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(name_then_bin, setup, teardown),
		cmocka_unit_test_setup_teardown(here_first, setup, teardown),
		cmocka_unit_test_setup_teardown(not_found, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
