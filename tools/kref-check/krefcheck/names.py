# SPDX-License-Identifier: MIT
"""The names the checks know without reading the program: the C
library's, the kernel's and the common libraries' calls, by what they do.
"""

import re


VERSION = "0.2.0"

RULES = {
    1: ("get-before-handoff",
        "Get a reference before you hand the pointer off (to a thread, a "
        "queue, a table or a global); put it back if the handoff fails."),
    2: ("put-when-done",
        "Put your reference when you are done; free the object only in its "
        "release function (and what that calls)."),
    3: ("lookup-and-get-under-the-final-put-lock",
        "If you hold no reference yet, make the lookup and the get one step "
        "against the final put: hold the lock that the final put takes "
        "(kref_put_mutex/kref_put_lock), or use RCU with "
        "kref_get_unless_zero."),
}

IGNORE_RE = re.compile(r"kref-check:\s*ignore")
LOCK_MEMBER_RE = re.compile(
    r"\b(pthread_mutex_t|pthread_spinlock_t|pthread_rwlock_t|spinlock_t|"
    r"raw_spinlock_t|rwlock_t|mtx_t|GMutex|GRWLock|struct\s+mutex|"
    r"struct\s+rw_semaphore)\s+\w+\s*[;,\[]")

# ---------------------------------------------------------------------------
# The names the checks know without reading the program.

THREAD_START = {"pthread_create": 3, "thrd_create": 2, "kthread_run": 1,
                "kthread_create": 1, "kthread_run_on_cpu": 1,
                "kthread_create_on_node": 1, "kthread_create_on_cpu": 1}
# Work items: the object goes with &obj->work.
WORK_START = {"queue_work": 1, "schedule_work": 0, "queue_delayed_work": 1,
              "schedule_delayed_work": 0, "mod_delayed_work": 1,
              "queue_work_on": 2, "queue_rcu_work": 1}
# Queues, tables and lists a pointer can be handed to (any argument).
HANDOFF_RE = re.compile(
    r"(^|_)(push|enqueue|insert|publish|submit|post|append|prepend|add|queue|"
    r"register|attach|handoff|hand_off|give|add_tail|add_head|hash_add|"
    r"add_rcu|store)(_|$)|^list_add|^hlist_add|"
    r"^cds_lfht_add|^xa_store|^idr_alloc|^radix_tree_insert|^rb_link_node|"
    r"^g_queue_push|^g_async_queue_push|^g_hash_table_(insert|replace)|"
    r"^g_ptr_array_add|^tsearch$", re.I)
NOT_HANDOFF = {"atomic_store", "atomic_store_explicit", "__atomic_store_n",
               "refcount_add", "kref_add", "atomic_add", "atomic_fetch_add",
               "atomic_fetch_add_explicit", "atomic_add_return", "atomic64_add",
               "__atomic_add_fetch", "__atomic_fetch_add", "__sync_add_and_fetch",
               "__sync_fetch_and_add", "refcount_add_not_zero", "percpu_ref_get",
               "list_add_tail_entry", "pthread_atfork", "atexit",
               "queue_work", "schedule_work", "queue_delayed_work",
               "pthread_cond_signal", "pthread_cond_broadcast"}
# The kernel's accessors: they return a pointer the caller already has a
# way to (the containing object, a device's private data), not a reference.
ACCESSOR_FNS = {"from_timer", "timer_container_of", "from_tasklet", "from_work",
                "container_of_const", "netdev_priv", "dev_get_drvdata",
                "platform_get_drvdata", "pci_get_drvdata", "usb_get_intfdata",
                "i2c_get_clientdata", "spi_get_drvdata", "video_get_drvdata",
                "video_drvdata", "file_inode"}
# Calls that make an object reachable by others without a handoff's name
# (a device node that can be opened at once).
PUBLISH_FNS = {"device_create", "device_create_with_groups", "cdev_add",
               "misc_register", "dev_set_drvdata", "platform_set_drvdata",
               "usb_set_intfdata", "pci_set_drvdata", "i2c_set_clientdata",
               "spi_set_drvdata"}
# Table inserts that store the pointer only when they succeed.
ID_ALLOC_FNS = {"xa_alloc", "xa_alloc_cyclic", "xa_insert", "idr_alloc",
                "idr_alloc_cyclic", "idr_alloc_u32", "radix_tree_insert"}
# Calls after which nothing returns: a branch that ends in one leaks nothing.
NORETURN = {"exit", "_exit", "_Exit", "abort", "err", "errx", "verr", "verrx",
            "panic", "BUG", "die", "fatal", "assert", "quick_exit",
            "pthread_exit", "thrd_exit", "__builtin_unreachable", "do_exit"}
FREE_FNS = {"free", "kfree", "kvfree", "vfree", "g_free", "kfree_rcu",
            "kzfree", "kfree_sensitive", "kmem_cache_free", "free_page"}
ALLOC_FNS = {"malloc", "calloc", "realloc", "kmalloc", "kzalloc", "kcalloc",
             "kmalloc_array", "kvmalloc", "kvzalloc", "vmalloc", "vzalloc",
             "kmem_cache_alloc", "kmem_cache_zalloc", "g_malloc", "g_malloc0",
             "g_new", "g_new0", "aligned_alloc", "strdup", "kstrdup",
             "devm_kzalloc", "devm_kmalloc"}
LOCK_FNS = {"pthread_mutex_lock", "pthread_spin_lock", "pthread_rwlock_rdlock",
            "pthread_rwlock_wrlock", "mtx_lock", "mutex_lock",
            "mutex_lock_interruptible", "mutex_lock_killable", "mutex_lock_nested",
            "spin_lock", "spin_lock_bh", "spin_lock_irq", "spin_lock_irqsave",
            "raw_spin_lock", "raw_spin_lock_irqsave", "read_lock", "write_lock",
            "read_lock_bh", "write_lock_bh", "read_lock_irqsave",
            "write_lock_irqsave", "down_read", "down_write", "down",
            "g_mutex_lock", "EnterCriticalSection", "AcquireSRWLockExclusive",
            "AcquireSRWLockShared", "xa_lock", "xa_lock_bh", "xa_lock_irq",
            "xa_lock_irqsave", "spin_lock_nested", "spin_lock_irqsave_nested",
            "raw_spin_lock_irq", "raw_spin_lock_bh", "read_lock_irq",
            "write_lock_irq", "mutex_lock_io", "down_read_killable",
            "down_write_killable", "down_interruptible", "down_killable",
            "down_read_nested", "down_write_nested"}
UNLOCK_FNS = {"pthread_mutex_unlock", "pthread_spin_unlock",
              "pthread_rwlock_unlock", "mtx_unlock", "mutex_unlock",
              "spin_unlock", "spin_unlock_bh", "spin_unlock_irq",
              "spin_unlock_irqrestore", "raw_spin_unlock",
              "raw_spin_unlock_irqrestore", "read_unlock", "write_unlock",
              "read_unlock_bh", "write_unlock_bh", "read_unlock_irqrestore",
              "write_unlock_irqrestore", "up_read", "up_write", "up",
              "g_mutex_unlock", "LeaveCriticalSection",
              "ReleaseSRWLockExclusive", "ReleaseSRWLockShared", "xa_unlock",
              "xa_unlock_bh", "xa_unlock_irq", "xa_unlock_irqrestore",
              "raw_spin_unlock_irq", "raw_spin_unlock_bh", "read_unlock_irq",
              "write_unlock_irq"}
RCU_LOCK_FNS = {"rcu_read_lock", "rcu_read_lock_bh", "rcu_read_lock_sched",
                "urcu_memb_read_lock", "urcu_bp_read_lock", "urcu_qsbr_read_lock",
                "urcu_mb_read_lock", "urcu_signal_read_lock"}
RCU_UNLOCK_FNS = {"rcu_read_unlock", "rcu_read_unlock_bh",
                  "rcu_read_unlock_sched", "urcu_memb_read_unlock",
                  "urcu_bp_read_unlock", "urcu_qsbr_read_unlock",
                  "urcu_mb_read_unlock", "urcu_signal_read_unlock"}
HELD_ASSERTS = {"lockdep_assert_held", "lockdep_assert_held_write",
                "lockdep_assert_held_read", "assert_spin_locked"}
# Library lookups that return a pointer without taking a reference.
RAW_LOOKUP_FNS = {"g_hash_table_lookup", "idr_find", "xa_load",
                  "radix_tree_lookup", "rhashtable_lookup",
                  "rhashtable_lookup_fast", "bsearch", "lfind", "hsearch",
                  "tfind", "cds_lfht_iter_get_node", "rb_first", "rb_next",
                  "rb_last", "rb_prev", "hlist_first_rcu", "list_first_or_null_rcu",
                  "g_queue_peek_head", "g_queue_peek_tail",
                  "g_ptr_array_index"}
# Readers of a pointer: the pointer they return was read from their
# argument.
READ_WRAPPERS = {"rcu_dereference", "rcu_dereference_protected",
                 "rcu_dereference_check", "rcu_dereference_raw",
                 "srcu_dereference", "READ_ONCE", "atomic_load",
                 "atomic_load_explicit", "__atomic_load_n", "rcu_access_pointer",
                 "smp_load_acquire", "list_first_entry", "list_last_entry",
                 "list_first_entry_or_null", "list_entry", "list_next_entry",
                 "list_prev_entry", "hlist_entry", "hlist_entry_safe",
                 "list_entry_rcu", "list_first_or_null_rcu", "container_of",
                 "caa_container_of", "rb_entry", "rb_entry_safe",
                 "cds_list_entry", "g_atomic_pointer_get", "uatomic_read",
                 "CMM_LOAD_SHARED", "rcu_dereference_bh", "rcu_dereference_sched"}
C_KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "do",
              "else", "case", "goto", "_Alignof", "alignof", "typeof",
              "__typeof__", "_Generic", "__attribute__", "defined",
              "__builtin_expect", "likely", "unlikely", "_Static_assert",
              "static_assert", "__asm__", "asm", "offsetof"}
TYPE_WORDS = {"const", "volatile", "static", "inline", "extern", "register",
              "struct", "union", "enum", "unsigned", "signed", "restrict",
              "_Atomic", "__restrict", "__inline", "__inline__", "auto"}

# A name no program uses: what a set of names with no member holds.
NO_NAME = "kref_check_no_such_name"
# Scope-based locking (kref/cleanup.h, linux/cleanup.h).
GUARDS = {"guard", "scoped_guard", "scoped_cond_guard"}
# Taking an object out of a list, table or tree.
UNLINK_RE = re.compile(r"(^|_)(del|delete|remove|erase|unlink|unhash|rcu_del)(_|$)|"
                       r"^(list|hlist)_del|^rb_erase|^idr_remove|^xa_erase|^g_hash_table_remove")
# The kref API's puts.
KREF_PUTS = frozenset(("kref_put", "kref_put_mutex", "kref_put_lock"))
