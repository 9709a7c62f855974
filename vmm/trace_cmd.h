/* SPDX-License-Identifier: MIT */
/* trace_cmd.h - the commands that read traces back: minivmm show and minivmm diff. */
#ifndef MVM_TRACE_CMD_H
#define MVM_TRACE_CMD_H

/* argv[0] is the command's name; the return value is minivmm's exit status. */
int cmd_show(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* diff's comparison and report of the files a and b, b printed as label_b. */
int trace_diff_files(const char *a, const char *b, const char *label_b);

#endif /* MVM_TRACE_CMD_H */
