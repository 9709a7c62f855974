/* SPDX-License-Identifier: MIT */
/* caps.h - `minivmm caps`. */
#ifndef MVM_CAPS_H
#define MVM_CAPS_H

/* argv[0] is "caps"; returns the exit status. */
int cmd_caps(int argc, char **argv);

#endif /* MVM_CAPS_H */
