# SPDX-License-Identifier: MIT
"""Ownership facts for rule 1's general shapes, kept apart from facts.py:
which structs are counted, what type each pointer member points to,
which calls start threads (the program's own wrappers included), and
which of a function's pointers it holds no reference for.
"""

import re
from dataclasses import dataclass

from .names import RAW_LOOKUP_FNS, READ_WRAPPERS, THREAD_START
from .rule2 import REF_LOOKUP_RE
from .source import norm, split_args

# The kernel's counted handles whose get/put pairs the checks know
# (of_node_get/of_node_put, get_device/put_device, ...), by struct.
HANDLE_STRUCTS = {"struct device_node", "struct device", "struct kobject",
                  "struct fwnode_handle", "struct pci_dev", "struct usb_device",
                  "struct usb_interface", "struct net_device", "struct platform_device"}
# Their gets (each returns or keeps its argument) and puts, for programs
# that only declare them.
HANDLE_GETS = {"get_device", "of_node_get", "usb_get_dev", "usb_get_intf", "pci_dev_get",
               "dev_hold", "fwnode_handle_get", "kobject_get", "netdev_hold"}
HANDLE_PUTS = {"put_device", "of_node_put", "usb_put_dev", "usb_put_intf", "pci_dev_put",
               "dev_put", "fwnode_handle_put", "kobject_put", "netdev_put",
               "platform_device_put"}
# Thread creators by the name the program or its library gives them: a
# call that is given a function and its data and runs it on a new thread.
THREAD_NAME_RE = re.compile(r"thread_?create|create_?thread|thread_(try_)?new|thread_start|beginthread|"
                            r"(^|_)spawn($|_)", re.I)
# Containers by the name of the call that puts an entry in.
INSERT_RE = re.compile(r"(^|_)(insert|add|put|push|cache|set|store|append|enqueue|"
                       r"add_tail|add_head)(_|$)|^list_add|^hlist_add", re.I)
# A release-like function of a struct found with container_of.
RELEASE_NAME_RE = re.compile(r"release|free|destroy|finalize|cleanup|delete|dealloc", re.I)


@dataclass(frozen=True)
class ThreadStart:
    """A call that runs fn(data) on a new thread."""
    caller: object          # Func that starts it
    off: int                # offset of the call's name
    name: str               # the starting call
    fn: str                 # the thread function (a program function)
    data: str               # the argument given to it


def member_types(prog):
    """struct key -> {member: struct key it points to} for every pointer
    member of a struct defined in the program's files or headers (as
    source.py parsed them)."""
    out = {}
    for src in list(prog.sources.values()) + list(prog.headers.values()):
        for key, mems in src.member_ptrs.items():
            mem = out.setdefault(key, {})
            for name, t in mems.items():
                s = prog.struct_of_type(t)
                if s:
                    mem[name] = s
    return out


def counted(prog, s, depth=0):
    """Whether objects of struct s carry a reference count: a kref, a
    known kernel handle, or one of those embedded first (a parent
    object)."""
    if not s:
        return False
    if s in prog.structs or s in HANDLE_STRUCTS:
        return True
    if depth > 2:
        return False
    return any(counted(prog, t, depth + 1) for _m, t in prog.embeds.get(s, ())[:1])


def released(prog, s):
    """Whether struct s has a release function: kref's, or a function
    named like one that finds its object with container_of."""
    if s in prog.release_struct.values():
        return True
    for f in prog.all_funcs:
        if not RELEASE_NAME_RE.search(f.name):
            continue
        for name, args, _o, _e in f.calls:
            if name in ("container_of", "caa_container_of", "list_entry") and len(args) > 1 \
                    and prog.struct_of_type(args[1]) == s:
                return True
    return False


def base_ident(prog, expr):
    """The variable an expression designates an object through: casts,
    & and member accesses, readers and the program's one-argument macros
    (OBJECT(s)) stripped."""
    e = norm(expr)
    for _ in range(4):
        e = e.lstrip("&*")
        e = norm(e)
        m = re.match(r"^([A-Za-z_]\w*)\((.*)\)$", e)
        if m and (m.group(1) in READ_WRAPPERS or m.group(1) in prog.macros):
            args = split_args(m.group(2))
            if args:
                e = norm(args[0])
                continue
        break
    m = re.match(r"^([A-Za-z_]\w*)", e)
    return m.group(1) if m else ""


def thread_starters(prog):
    """Names of calls that start a thread: the C library's and kernel's,
    calls named as thread creators that are given a function, and the
    program's functions that pass a function parameter on to one of
    those (its own thread-start wrappers)."""
    names = set(THREAD_START)
    for f in prog.all_funcs:
        for name, _a, _o, _e in f.calls:
            if THREAD_NAME_RE.search(name):
                names.add(name)
    names |= {n for n in prog.protos if THREAD_NAME_RE.search(n)}
    # Wrappers of wrappers, to a fixed point.
    grew = True
    while grew:
        grew = False
        for f in prog.all_funcs:
            if f.name in names:
                continue
            for name, args, _o, _e in f.calls:
                if name in names and any(norm(a).lstrip("&") in f.params for a in args) and \
                        any(re.search(r"\(\s*\*", t) for t in f.ptypes):
                    names.add(f.name)
                    grew = True
                    break
    return names


def thread_starts(prog):
    """Every call that runs one of the program's functions on a thread,
    with the data it is given (the argument after the function)."""
    starters = thread_starters(prog)
    out = []
    for f in prog.all_funcs:
        for name, args, off, _e in f.calls:
            if name not in starters:
                continue
            for i, a in enumerate(args):
                fn = norm(a).lstrip("&")
                if fn in prog.funcs and fn != f.name:
                    data = norm(args[i + 1]) if i + 1 < len(args) else ""
                    out.append(ThreadStart(f, off, name, fn, data))
                    break
    return out


def loop_iterated(f, obj):
    """Whether obj is the cursor of a for loop that steps with a call
    given the previous cursor (of_get_next_child(np, prev)): the step puts
    the reference the cursor held."""
    for m in re.finditer(r"\bfor\s*\(", f.body):
        head = f.body[m.end():m.end() + 300]
        parts = head.split(";")
        if len(parts) < 3:
            continue
        step = parts[2]
        if re.search(r"(?<![\w.>])%s\s*=\s*\w+\s*\([^;]*\b%s\b" % (re.escape(obj), re.escape(obj)), step):
            return True
    return bool(re.search(r"\bfor_each_\w*\s*\([^;{]*\b%s\b" % re.escape(obj), f.body))


def raw_lookup_result(prog, f, obj):
    """Whether obj is set from a lookup that returns no reference."""
    for m in re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(" % re.escape(obj),
                         f.body):
        if m.group(1) in RAW_LOOKUP_FNS or m.group(1) in prog.rawlookup:
            return True
        # The kernel's __ variant of a referencing lookup takes none
        # (__dev_get_by_index under RTNL).
        if m.group(1).startswith("__") and m.group(1) not in prog.funcs and \
                REF_LOOKUP_RE.match(m.group(1)[2:]):
            return True
    return False


def put_fields(prog):
    """Members whose pointer some function puts with a kernel handle's put
    (put_device(x->parent)): they own a reference."""
    out = set()
    for f in prog.all_funcs:
        for name, args, _o, _e in f.calls:
            if name in HANDLE_PUTS and args:
                m = re.search(r"(?:->|\.)\s*([A-Za-z_]\w*)$", norm(args[0]))
                if m:
                    out.add(m.group(1))
    return out
