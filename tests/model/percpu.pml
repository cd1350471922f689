/* SPDX-License-Identifier: MIT */
/*
 * percpu.pml - the percpu_ref kill protocol of src/percpu.c, for spin.
 *
 * Two workers each hold one reference, take and drop another, then drop
 * theirs; the killer (the owner) switches to atomic mode, holding a
 * reference of its own meanwhile, and drops the initial reference.  Gets
 * and puts in per-CPU mode are restartable sequences: they read the mode,
 * then commit by adding to the counter of the CPU they run on, unless
 * they were aborted in between, by the switch's membarrier or by another
 * thread committing on the same CPU (which means they were preempted).
 *
 * After summing, the killer frees the per-CPU counters (the ref has no
 * PERCPU_REF_ALLOW_REINIT) and the allocator hands the slot, zeroed, to a
 * new ref.
 *
 * The kill runs as src/percpu.c runs it: under the switch lock it takes
 * its own reference, switches, frees the slot and drops the initial
 * reference; its confirmation runs after the lock is dropped, meanwhile
 * the switch is on the finishing list with the reference it keeps; then,
 * under the lock again, it drops that one and leaves the list.  The
 * confirmation takes a lock of the program's, which a forker holds across
 * a fork() (issue 19).  The fork takes the switch lock, and nothing else,
 * and is the child: there it checks that no switch is half done and that
 * the count, once the child has dropped the reference of the switch it
 * will never see end (unless it is the last), is exactly the references
 * the program had committed.
 *
 * Checked: the object is never released while anyone holds a reference
 * (no early release), at most once, and exactly once when all is done
 * (no reference lost); no sequence adds to the slot once it is reused;
 * the fork never waits for ever (spin's invalid end states) and the
 * child's count is exact.  Build with -DNO_FENCE to see spin find the lost
 * reference that the membarrier prevents, with -DOLD_FORK (fork waits
 * for the finishing list to empty, as before issue 19) to see it find the
 * fork that waits for ever, and with -DNO_DROP (the child keeps the kept
 * reference) to see it find the child's count off by one.  -DNO_FORK
 * leaves the forker out, -DW=1 has one worker: tests/model/spin.sh checks
 * the switch with two workers and no forker (1.5 million states), and the
 * fork with one worker (58 thousand); both together, -DW=2 with the
 * forker, is 10 million states and 860 MB (errors: 0, checked by hand).
 */
#define NCPU	2
#ifndef W
#define W	2		/* workers; the killer is process W */
#endif
#define BIAS	64

short slot[NCPU];	/* per-CPU counters: a put may make one negative */
short count = BIAS + 1 + W;	/* the bias, the owner's reference and the
				 * workers', taken before per-CPU mode began */
byte prog = 1 + W;	/* ghost: those of the program's references that
			 * have been committed (the switch's own is not) */
bool atomic_mode;
bool summed;		/* ghost: the counters are in count */
byte lock;		/* the switch lock: 0, or its holder's _pid + 1 */
byte ulock;		/* the program's lock, held across fork() */
bool listed;		/* the kill is on the finishing list, keeping one */
bool in_cs[W + 1];
bool aborted[W + 1];
byte cs_cpu[W + 1];
byte held = W + 1;	/* ghost: references held right now */
byte released;
byte done;
bool reused;		/* the slot belongs to another ref now */

/* Add d to the ref, per-CPU or atomic, as percpu_ref_{get,put}_many do;
 * g of it is the program's (ghost).  The caller declares seen_atomic,
 * committed and j. */
inline add(id, d, g)
{
	committed = false;
	do
	:: atomic {
		in_cs[id] = true;
		aborted[id] = false;
		if
		:: cs_cpu[id] = 0
		:: cs_cpu[id] = 1
		fi;
		seen_atomic = atomic_mode
	   }
	   if
	   :: seen_atomic ->
		in_cs[id] = false;
		atomic {
			count = count + d;
			prog = prog + g;
			if
			:: count == 0 ->
				assert(held == 0);	/* no early release */
				released++;
				assert(released == 1)	/* at most once */
			:: else
			fi
		};
		break
	   :: else ->
		atomic {
			if
			:: aborted[id] ->		/* restart */
				in_cs[id] = false
			:: else ->
				assert(!reused);	/* not into another's count */
				slot[cs_cpu[id]] = slot[cs_cpu[id]] + d;
				prog = prog + g;
				in_cs[id] = false;
				committed = true;
				/* Whoever else was in a sequence on this CPU was
				 * preempted by us: restarted. */
				j = 0;
				do
				:: j <= W ->
					if
					:: in_cs[j] && cs_cpu[j] == cs_cpu[id] -> aborted[j] = true
					:: else
					fi;
					j++
				:: else -> break
				od
			fi
		};
		if
		:: committed -> break
		:: else
		fi
	   fi
	od
}

inline get(id)
{
	add(id, 1, 1);
	held++
}

inline put(id)
{
	held--;
	add(id, -1, -1)
}

active [W] proctype worker()
{
	bool seen_atomic, committed;
	byte j;

	get(_pid);
	put(_pid);
	put(_pid);	/* the reference the owner handed over */
	done++
}

active proctype killer()
{
	bool seen_atomic, committed;
	short sum;
	byte j;

	atomic { lock == 0 -> lock = W + 1 };
	add(W, 1, 0);			/* its own: nothing is released mid-switch */
	held++;
	atomic_mode = true;
#ifndef NO_FENCE
	atomic {			/* membarrier: restart every sequence */
		j = 0;
		do
		:: j < W + 1 ->
			if
			:: in_cs[j] -> aborted[j] = true
			:: else
			fi;
			j++
		:: else -> break
		od
	}
#endif
	sum = slot[0];
	sum = sum + slot[1];
	atomic {
		count = count + sum - BIAS;
		summed = true
	};
	atomic {			/* freed, and zeroed for the next ref */
		reused = true;
		slot[0] = 0;
		slot[1] = 0
	};
	put(W);				/* the initial reference: the kill */
	listed = true;			/* keeping its own across the confirmation */
	lock = 0;
	atomic { ulock == 0 -> ulock = W + 1 };	/* the confirmation */
	ulock = 0;
	atomic { lock == 0 -> lock = W + 1 };
	held--;
	add(W, -1, 0);			/* the switch's own reference */
	listed = false;
	lock = 0;
	done == W;
	assert(released == 1)		/* exactly once: no reference lost */
}

#ifndef NO_FORK
/* Holds the program's lock across fork(); the child checks what it got. */
active proctype forker()
{
	short child;

	atomic { ulock == 0 -> ulock = W + 2 };
#ifdef OLD_FORK
	atomic { lock == 0 && !listed -> lock = W + 2 };
#else
	atomic { lock == 0 -> lock = W + 2 };
#endif
	d_step {
		assert(atomic_mode == summed);	/* no switch half done */
		if
		:: summed ->
#ifdef NO_DROP
			child = count;
#else
			/* drop_vanished(): the kept reference, unless the last */
			child = count - ((listed && count != 1) -> 1 : 0);
#endif
			assert(child == prog || (prog == 0 && child == 1 && listed))
		:: else ->
			child = count - BIAS + slot[0] + slot[1];
			assert(child == prog)
		fi
	};
	lock = 0;
	ulock = 0
}
#endif
