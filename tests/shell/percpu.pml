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
 * Checked: the object is never released while anyone holds a reference
 * (no early release), at most once, and exactly once when all is done
 * (no reference lost); no sequence adds to the slot once it is reused.  Build with -DNO_FENCE to see spin find the lost
 * reference that the membarrier prevents.
 */
#define NCPU	2
#define W	2		/* workers; the killer is process W */
#define BIAS	64

short slot[NCPU];	/* per-CPU counters: a put may make one negative */
short count = BIAS + 1 + W;	/* the bias, the owner's reference and the
				 * workers', taken before per-CPU mode began */
bool atomic_mode;
bool in_cs[W + 1];
bool aborted[W + 1];
byte cs_cpu[W + 1];
byte held = W + 1;	/* ghost: references held right now */
byte released;
byte done;
bool reused;		/* the slot belongs to another ref now */

/* Add d to the ref, per-CPU or atomic, as percpu_ref_{get,put}_many do.
 * The caller declares seen_atomic, committed and j. */
inline add(id, d)
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
	add(id, 1);
	held++
}

inline put(id)
{
	held--;
	add(id, -1)
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

	get(W);				/* nothing is released mid-switch */
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
	count = count + sum - BIAS;
	atomic {			/* freed, and zeroed for the next ref */
		reused = true;
		slot[0] = 0;
		slot[1] = 0
	};
	put(W);				/* the switch's reference */
	put(W);				/* the initial reference: the kill */
	done == W;
	assert(released == 1)		/* exactly once: no reference lost */
}
