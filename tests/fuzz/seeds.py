#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# seeds.py DIR - write the hand-made seeds of tests/fuzz/corpus: every
# operation from every edge value and its neighbours (and, for those that
# take an amount, with every edge amount), and a few whole lifetimes.
# The encoding is fuzz_refcount.c's; OPS is in the order of its enum op.
import os
import sys

OPS = """RC_SET RC_SET_RELEASE RC_READ RC_ADD RC_INC RC_ADD_NOT_ZERO
RC_ADD_NOT_ZERO_ACQ RC_INC_NOT_ZERO RC_INC_NOT_ZERO_ACQ RC_SUB_AND_TEST
RC_DEC_AND_TEST RC_DEC RC_DEC_IF_ONE RC_DEC_NOT_ONE RC_DEC_AND_MUTEX_LOCK
RC_DEC_AND_LOCK KREF_INIT KREF_READ KREF_GET KREF_GET_UNLESS_ZERO KREF_PUT
KREF_PUT_MUTEX KREF_PUT_LOCK RCU_INIT RCU_READ RCU_GET RCU_PUT
RCU_PUT_RCUSAFE RCU_IS_DEAD""".split()
OP = {name: i for i, name in enumerate(OPS)}
WITH_ARG = {"RC_SET", "RC_SET_RELEASE", "RC_ADD", "RC_ADD_NOT_ZERO",
            "RC_ADD_NOT_ZERO_ACQ", "RC_SUB_AND_TEST", "RCU_INIT"}
NRC = 4
EDGES = 16

# A value byte: bits 0-3 an edge, bits 4-6 a neighbour (0, +1, -1, +2, -2).
def edge(e, neighbour=0):
    return bytes([e | neighbour << 4])

NEIGHBOURS = [edge(e, n) for e in range(EDGES) for n in range(5)]
CLOSE = [edge(e, n) for e in range(EDGES) for n in range(3)]
AMOUNTS = [edge(e) for e in range(EDGES)] + [edge(e, 2) for e in (0, 5, 6, 7)]

def op(name, slot, value=b""):
    return bytes([OP[name], slot]) + value

def int_op_seed(name, kref):
    """name from each start value, on refcount_t slots or struct kref ones."""
    out = b""
    for i, start in enumerate(CLOSE if name in WITH_ARG else NEIGHBOURS):
        slot = NRC + i % 4 if kref else i % 4
        target = i % 4 if name.startswith("KREF") else slot
        if name in ("RC_SET", "RC_SET_RELEASE"):
            out += op(name, slot, start) + op("RC_READ", slot)
        elif name in WITH_ARG:
            for amount in AMOUNTS:
                out += op("RC_SET", slot, start) + op(name, target, amount)
        else:
            out += op("RC_SET", slot, start) + op(name, target)
    return out

def raw(v):
    return bytes([0x80]) + (v & 0xFFFFFFFF).to_bytes(4, "little")

RCU_STORED = [0, 1, 2, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001,
              0x9FFFFFFF, 0xA0000000, 0xBFFFFFFE, 0xBFFFFFFF, 0xC0000000,
              0xC0000001, 0xDFFFFFFF, 0xE0000000, 0xFFFFFFFD, 0xFFFFFFFE,
              0xFFFFFFFF]

def rcu_seed(name):
    """name from each zone boundary; rcuref_init with every edge value."""
    if name == "RCU_INIT":
        return b"".join(op(name, 0, v) + op("RCU_READ", 0)
                        for v in NEIGHBOURS + [raw(c) for c in RCU_STORED])
    return b"".join(op("RCU_INIT", i % 4, raw(c + 1)) + op(name, i % 4)
                    for i, c in enumerate(RCU_STORED))

LIFETIMES = {
    # A kref's life: init, gets, puts down to the release under each lock,
    # then the misuse that follows a release.
    "kref-life": op("KREF_INIT", 1) + op("KREF_GET", 1) + op("KREF_GET", 1)
    + op("KREF_GET_UNLESS_ZERO", 1) + op("KREF_READ", 1) + op("KREF_PUT", 1)
    + op("KREF_PUT_LOCK", 1) + op("KREF_PUT_MUTEX", 1) + op("KREF_PUT", 1)
    + op("KREF_GET_UNLESS_ZERO", 1) + op("KREF_PUT", 1) + op("KREF_GET", 1)
    + op("KREF_PUT_MUTEX", 1) + op("KREF_INIT", 1) + op("KREF_PUT_MUTEX", 1)
    + op("KREF_INIT", 1) + op("KREF_PUT_LOCK", 1) + op("KREF_READ", 1),
    # refcount_t's lock helpers around 1 and 0, and saturation on both ends.
    "refcount-life": op("RC_SET", 0, edge(2)) + op("RC_DEC_AND_MUTEX_LOCK", 0)
    + op("RC_DEC_AND_LOCK", 0) + op("RC_DEC_AND_LOCK", 0)
    + op("RC_DEC_AND_MUTEX_LOCK", 0) + op("RC_INC_NOT_ZERO", 0)
    + op("RC_INC", 0) + op("RC_DEC_IF_ONE", 0) + op("RC_SET", 1, edge(5))
    + op("RC_INC_NOT_ZERO_ACQ", 1) + op("RC_DEC_NOT_ONE", 1) + op("RC_DEC", 1)
    + op("RC_READ", 1) + op("RC_SET_RELEASE", 2, edge(1))
    + op("RC_DEC_IF_ONE", 2) + op("RC_DEC", 2) + op("RC_READ", 2),
    # rcuref_t: the last put, gets on a dead object, saturation and back.
    "rcuref-life": op("RCU_INIT", 0, edge(2)) + op("RCU_GET", 0)
    + op("RCU_PUT", 0) + op("RCU_PUT_RCUSAFE", 0) + op("RCU_PUT", 0)
    + op("RCU_GET", 0) + op("RCU_PUT", 0) + op("RCU_READ", 0)
    + op("RCU_INIT", 1, raw(0x80000000)) + op("RCU_GET", 1) + op("RCU_PUT", 1)
    + op("RCU_READ", 1),
}

def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = dict(LIFETIMES)
    for name in OPS:
        if name.startswith("RCU"):
            seeds["op-" + name.lower()] = rcu_seed(name)
        elif name.startswith("KREF"):
            seeds["op-" + name.lower()] = int_op_seed(name, True)
        else:
            seeds["op-" + name.lower()] = int_op_seed(name, False)
            if name not in WITH_ARG:
                seeds["op-" + name.lower()] += int_op_seed(name, True)
    for name, data in seeds.items():
        with open(os.path.join(out, "seed-" + name.replace("_", "-")), "wb") as f:
            f.write(data)

main()
