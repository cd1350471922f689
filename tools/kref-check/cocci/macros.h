// SPDX-License-Identifier: MIT
// macros.h - hints for spatch's C parser: attribute-like macros that
// user-space and kernel-style kref code puts in declarations.
#define KREF_MUST_CHECK
#define KREF_BEGIN_DECLS
#define KREF_END_DECLS
#define __must_check
#define __maybe_unused
#define __always_unused
#define __rcu
#define __percpu
#define __user
#define __iomem
#define __init
#define __exit
#define __cold
#define __read_mostly
#define __force
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __guarded_by(x)
#define __pt_guarded_by(x)
#define _Nonnull
#define _Nullable
// Scope-based cleanup (kref/cleanup.h, linux/cleanup.h): the scoped
// guards are blocks (__free() is blanked out before spatch reads the file).
#define scoped_guard(...) YACFE_ITERATOR
#define scoped_cond_guard(...) YACFE_ITERATOR
#define scoped_class(...) YACFE_ITERATOR
// BSD <sys/queue.h> (FreeBSD, glibc, libevent, librdkafka...): the link
// and head macros declare members and types.
#define LIST_HEAD(name, type) struct name { struct type *lh_first; }
#define LIST_ENTRY(type) struct { struct type *le_next; struct type **le_prev; }
#define SLIST_HEAD(name, type) struct name { struct type *slh_first; }
#define SLIST_ENTRY(type) struct { struct type *sle_next; }
#define STAILQ_HEAD(name, type) struct name { struct type *stqh_first; struct type **stqh_last; }
#define STAILQ_ENTRY(type) struct { struct type *stqe_next; }
#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#define CIRCLEQ_HEAD(name, type) struct name { struct type *cqh_first; struct type *cqh_last; }
#define CIRCLEQ_ENTRY(type) struct { struct type *cqe_next; struct type *cqe_prev; }
