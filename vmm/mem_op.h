/* SPDX-License-Identifier: MIT */
/* mem_op.h - the guest's MVM_CALL_MEM: a slot change, with the dirty pages it ends. */
#ifndef MVM_MEM_OP_H
#define MVM_MEM_OP_H

#include "minivmm_abi.h"
#include "vcpu.h"

/* Validated, the slot's dirty pages recorded, applied, recorded. */
void mem_op_guest(struct vcpu *v, const struct mvm_call_mem *op);

#endif /* MVM_MEM_OP_H */
