// SPDX-License-Identifier: MIT
/*
 * KrefChecker.cpp - the three kref rules checked path by path, as a Clang
 * Static Analyzer plugin (clang 14).  An experiment: issue 18 asks whether
 * a path-sensitive engine reaches recall kref-check's patterns do not.
 *
 * The checker follows each pointer to a counted object (a struct with a
 * struct kref in it) along every path of a function and keeps what this
 * path owns of it:
 *
 *   Param     the caller lends it (a parameter of the analysed function)
 *   Borrowed  found by a lookup, or loaded from memory under a lock or RCU,
 *             with no reference taken; remembers that lock
 *   Owned(n)  n references taken on this path (kref_init, kref_get, a
 *             function documented to return a reference); at n == 0 it
 *             is what it was before the first get (Unknown: untracked)
 *   Released  this path put the reference it had
 *
 * and reports, on the path where it happens:
 *   rule 1  a Param, Borrowed or Released pointer stored in a field that
 *           holds references, or handed to a call that keeps it for later
 *           (a thread, a timer, a work item, a callback's data);
 *   rule 2  an Owned reference that dies unput on a path that does not
 *           end the process (one taken on an argument or on a pointer of
 *           unknown origin only when another path put or handed off one
 *           from the same get: a get wrapper keeps it on every path), a
 *           second put, a use after the put (after a put of what a
 *           container held, only when the path does not put it again;
 *           none after a put followed by a wait for the release's
 *           completion), a put of a documented borrowed pointer, a field
 *           that holds a reference overwritten while it still holds one;
 *   rule 3  a get of a pointer found under a lock after that lock was
 *           dropped (even if taken again), a use or a return of it then, a
 *           plain kref_get of a pointer found only under RCU, a plain put
 *           after the count was tested under a lock since dropped; and, at
 *           the end of the file, a plain put whose release takes the lock a
 *           lookup gets under, or that holds it only for reading while its
 *           release unlinks (the revival race), at both ends, and a get or
 *           use of a shared pointer another function replaces and puts
 *           holding a lock this one does not hold (the swap race).
 *
 * The kref API and lock functions are modelled, not inlined; the program's
 * own functions (wrappers included) are inlined by the analyzer.  What a
 * function it only declares does is read from its name and the comment
 * above it (names.cpp).
 */
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "names.h"
#include <map>

using namespace clang;
using namespace ento;
using namespace kref_analyzer;

namespace {

struct RefState {
	enum Kind : unsigned char { Param, Borrowed, Owned, Released, Unknown };
	Kind K;
	Kind Base;		// Owned: what the pointer is again at n == 0
	unsigned N;		// Owned: references taken on this path
	bool Documented;	// Borrowed: a comment says no reference comes back
	bool RCU;		// Borrowed: found inside an RCU read section
	bool Escaped;		// Owned: also reachable from elsewhere, no leak report
	bool Weak;		// Released: put through a pointer of unknown origin
	bool Returned;		// Owned: a callee got it and returned it, the caller's to put
	const MemRegion *Lock;	// Borrowed: the innermost lock held when found
	const Stmt *Where;	// the call or load that set the state

	static RefState make(Kind K, const Stmt *Where)
	{
		return RefState{K,     Released, K == Owned ? 1u : 0u, false, false, false,
				false, false, nullptr, Where};
	}
	bool operator==(const RefState &O) const
	{
		return K == O.K && Base == O.Base && N == O.N && Documented == O.Documented &&
		       RCU == O.RCU && Escaped == O.Escaped && Weak == O.Weak &&
		       Returned == O.Returned && Lock == O.Lock &&
		       Where == O.Where;
	}
	void Profile(llvm::FoldingSetNodeID &ID) const
	{
		ID.AddInteger(K);
		ID.AddInteger(Base);
		ID.AddInteger(N);
		ID.AddBoolean(Documented);
		ID.AddBoolean(RCU);
		ID.AddBoolean(Escaped);
		ID.AddBoolean(Weak);
		ID.AddBoolean(Returned);
		ID.AddPointer(Lock);
		ID.AddPointer(Where);
	}
};

/* What the rest of the path owes an object after a store into a field. */
struct Duty {
	enum Kind : unsigned char { NeedGet, NeedPut };
	Kind K;
	const Stmt *At;		// the store
	const MemRegion *Field;
	bool Holds;		// the program puts through the field, or stores references in it
	const MemRegion *From;	// NeedGet of a copy: the field or global it was copied from
	bool PutThrough;	// NeedGet: the field was put through since, as if it held one

	bool operator==(const Duty &O) const
	{
		return K == O.K && At == O.At && Field == O.Field && Holds == O.Holds && From == O.From &&
		       PutThrough == O.PutThrough;
	}
	void Profile(llvm::FoldingSetNodeID &ID) const
	{
		ID.AddInteger(K);
		ID.AddPointer(At);
		ID.AddPointer(Field);
		ID.AddBoolean(Holds);
		ID.AddPointer(From);
		ID.AddBoolean(PutThrough);
	}
};

/* The status of a call that handed a reference back through an out
 * parameter.  It failed when the status is negative, or, when its comment
 * states what the result says of success, zero for a bool, not zero for
 * an int. */
struct OutCall {
	SymbolRef Status;
	bool Stated;

	bool operator==(const OutCall &O) const { return Status == O.Status && Stated == O.Stated; }
	void Profile(llvm::FoldingSetNodeID &ID) const
	{
		ID.AddPointer(Status);
		ID.AddBoolean(Stated);
	}
};

/* A count read under a lock (kref_read), to decide on the last reference. */
struct CountRead {
	const MemRegion *Lock;
	const Stmt *At;

	bool operator==(const CountRead &O) const { return Lock == O.Lock && At == O.At; }
	void Profile(llvm::FoldingSetNodeID &ID) const
	{
		ID.AddPointer(Lock);
		ID.AddPointer(At);
	}
};

} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(RefMap, SymbolRef, RefState)
REGISTER_MAP_WITH_PROGRAMSTATE(DutyMap, SymbolRef, Duty)
REGISTER_LIST_WITH_PROGRAMSTATE(LockStack, const MemRegion *)
// Locks of the stack held shared (for reading): they exclude no reader.
REGISTER_SET_WITH_PROGRAMSTATE(ReadLocks, const MemRegion *)
REGISTER_TRAIT_WITH_PROGRAMSTATE(RCUDepth, unsigned)
// Objects this path has counted and stopped tracking (put, handed off).
REGISTER_SET_WITH_PROGRAMSTATE(Forgotten, SymbolRef)
// Borrowed objects whose lock was dropped since they were found (relocking
// does not make them safe again).
REGISTER_SET_WITH_PROGRAMSTATE(Unlocked, SymbolRef)
// Pointers whose field or global they were loaded from was overwritten
// since: taken out of it (moved), not copied.
REGISTER_SET_WITH_PROGRAMSTATE(TakenOut, SymbolRef)
// Pointers loaded from shared memory (a global, a structure given to the
// function, or the next link of what was found there) with no lock and no
// RCU held: where they were loaded.
REGISTER_MAP_WITH_PROGRAMSTATE(FoundBare, SymbolRef, const Stmt *)
// Objects whose one reference on this path went to a keeper: where.
REGISTER_MAP_WITH_PROGRAMSTATE(GivenAway, SymbolRef, const Stmt *)
// Of those, the ones made on this path: no other reference exists.
REGISTER_SET_WITH_PROGRAMSTATE(MadeAndGiven, SymbolRef)
// Objects whose reference the store being made hands to a field: the
// store does not make the references the path keeps escape.
REGISTER_SET_WITH_PROGRAMSTATE(HandedByBind, SymbolRef)
// Objects with a reference stored in a field and another kept.
REGISTER_SET_WITH_PROGRAMSTATE(StoredOnce, SymbolRef)
// References handed back through an out parameter, and the status the
// call returned: a failed call handed back none.
REGISTER_MAP_WITH_PROGRAMSTATE(OutStatus, SymbolRef, OutCall)
// Objects stored through an out parameter: the caller's, with what this
// path got of them.
REGISTER_SET_WITH_PROGRAMSTATE(ToCaller, SymbolRef)
// Objects whose count this path read under a lock.
REGISTER_MAP_WITH_PROGRAMSTATE(CountReadUnder, SymbolRef, CountRead)
// What each variable with a cleanup function that puts (__free, g_autoptr)
// holds: put when its function returns.
REGISTER_MAP_WITH_PROGRAMSTATE(CleanupVars, const MemRegion *, SymbolRef)
// A callback's data whose reference its registration's destroy function puts.
REGISTER_SET_WITH_PROGRAMSTATE(RegisteredData, SymbolRef)
// A table's entry or node (not itself counted) found under a lock: what is
// loaded from it is safe to get only while that lock is held.  (Kept after
// the node's symbol dies: what was loaded from it still names it.)
REGISTER_MAP_WITH_PROGRAMSTATE(FoundNodes, SymbolRef, const MemRegion *)
// Fields of memory the function was given, read by this path (it knows
// they are set): the value read.
REGISTER_MAP_WITH_PROGRAMSTATE(ReadFields, const MemRegion *, SymbolRef)
// Pointers taken out of the field or global they were loaded from by a
// store of another value: the store.
REGISTER_MAP_WITH_PROGRAMSTATE(SwappedOut, SymbolRef, const Stmt *)
// Pointers loaded from a field, global or slot and given to a call with no
// lock held and no reference: the first such call (null once the path got
// or put them), paired with the replacements when they die.
REGISTER_MAP_WITH_PROGRAMSTATE(SharedUse, SymbolRef, const Stmt *)
// Pointers copied, with no reference, out of a variable whose cleanup
// function puts into one declared outside its block: the copy.
REGISTER_MAP_WITH_PROGRAMSTATE(CleanupCopy, SymbolRef, const Stmt *)
// Taken out of a slot, list or tree by this path (a null stored where it
// was, a call like list_del given it).
REGISTER_SET_WITH_PROGRAMSTATE(Unlinked, SymbolRef)
// Put after that: the reference dropped was the container's, perhaps not
// the only one the caller has.
REGISTER_SET_WITH_PROGRAMSTATE(ContainerPut, SymbolRef)
// Put, then its release's completion waited for (the drain idiom): the
// count is zero and the path owns the object, which the release has not
// freed.
REGISTER_SET_WITH_PROGRAMSTATE(Drained, SymbolRef)
// A use after such a put: reported when the path ends, unless the path
// puts it again, which shows it held more than the one it put first.
REGISTER_MAP_WITH_PROGRAMSTATE(UsedAfterContainerPut, SymbolRef, const Stmt *)

namespace {

/* What a release function, and what it calls two levels down, does. */
struct ReleaseFacts {
	llvm::DenseSet<const Decl *> Locks;	// taken or dropped
	llvm::DenseSet<const Decl *> Writes;	// fields written
	bool Teardown = false;			// stops a registration, a timer, a thread
	bool AfterGrace = false;		// frees after an RCU grace period
	bool Unlinks = false;			// takes the object out of a table or list
	bool UnlinkCall = false;		// by a call named for it (list_del)
	bool StoresThrough = false;		// stores through a pointer or into an array
	llvm::DenseSet<const Decl *> StoredIn;	// records whose fields it stores into
	llvm::DenseSet<const Decl *> Touched;	// records whose fields it reads or writes, globals
};

/* Where a lookup under a lock gets, and where a put happens: rule 3 pairs
 * them across functions at the end of the translation unit. */
struct GetSite {
	const RecordDecl *Type;
	const Decl *Lock;
	const Stmt *At;
	const Decl *Fn;
};
/* A get or use of a pointer found with no lock held (FoundBare). */
struct BareGet {
	const RecordDecl *Type;
	const Decl *Home;	// the global, or the record of the structure, it was found in
	const Stmt *Load;
	const Stmt *At;
	const Decl *Fn;
	const Decl *Top;	// the function analysed, Fn or a caller
	bool Try;
	bool Use;		// a use of it, no get
};
/* A shared pointer replaced and its old value put (Swap), and a get of a
 * value loaded from such a pointer (SwapGet): rule 3 pairs them when no
 * lock is held at both the replacing store and the get. */
struct Swap {
	const RecordDecl *Type;
	const Decl *Where;	// the field or global
	llvm::SmallVector<const Decl *, 2> Held;	// at the store
	const Stmt *Store, *Put;
	const Decl *Fn, *Top;
};
struct SwapGet {
	const RecordDecl *Type;
	const Decl *Where;
	llvm::SmallVector<const Decl *, 2> Held;
	const Stmt *At;
	const Decl *Fn, *Top;
};
struct PutSite {
	const RecordDecl *Type;
	llvm::SmallVector<const Decl *, 2> Held;
	llvm::SmallVector<const Decl *, 2> ReadHeld;	// held shared only
	const FunctionDecl *Release;
	const Stmt *At;
	const Decl *Fn;
};

class KrefChecker
	: public Checker<eval::Call, check::PreCall, check::PostCall, check::Bind, check::Location,
			 check::PostStmt<CastExpr>, check::PostStmt<AtomicExpr>, check::PostStmt<CallExpr>,
			 check::PreStmt<ReturnStmt>, check::PreStmt<CallExpr>, check::DeadSymbols, check::LiveSymbols,
			 check::PointerEscape, check::BeginFunction, check::EndFunction,
			 check::EndOfTranslationUnit, check::EndAnalysis, check::BranchCondition,
			 eval::Assume> {
	BugType Rule1{this, "rule 1: get before handing off", "kref"};
	BugType Rule2{this, "rule 2: put when done", "kref"};
	// A leak: not reported where the path ends the process (endsProcess).
	BugType Rule2Leak{this, "rule 2: put when done", "kref"};
	BugType Rule3{this, "rule 3: serialise lookup and get", "kref"};

	mutable llvm::DenseMap<const RecordDecl *, bool> CountedCache;
	mutable llvm::DenseSet<const FieldDecl *> CountingFields;
	mutable const TranslationUnitDecl *Scanned = nullptr;
	// The node of each store that left a duty, for the report at the path's end.
	mutable llvm::DenseMap<const Stmt *, ExplodedNode *> DutyNodes;
	mutable llvm::DenseMap<const Stmt *, ExplodedNode *> UseNodes;	// UsedAfterContainerPut's
	mutable std::vector<GetSite> Gets;
	mutable std::vector<PutSite> Puts;
	mutable std::vector<Swap> Swaps;
	// The program's get and put wrappers: a body that gets or puts its
	// first parameter, a counted pointer.
	mutable llvm::DenseSet<const Decl *> Wrappers;
	mutable std::vector<SwapGet> SwapGets;
	mutable llvm::DenseMap<const Stmt *, SwapGet> SharedUses;	// by the use
	mutable llvm::SetVector<const Stmt *> UnheldUses;	// on a path that never got the pointer
	// Each CleanupCopy: where the block of the variable copied ends, and it.
	mutable llvm::DenseMap<const Stmt *, std::pair<SourceLocation, const VarDecl *>> CopyEnds;
	mutable llvm::DenseMap<const Stmt *, llvm::SmallVector<const Decl *, 2>> StoreHeld;
	mutable llvm::DenseSet<const Stmt *> Noted;
	mutable std::vector<BareGet> BareGets;
	mutable llvm::DenseSet<const Stmt *> BareNoted;
	mutable llvm::DenseSet<const Stmt *> Reported;
	// Functions that drop a lock they did not take: called with it held.
	mutable llvm::DenseSet<const Decl *> LockedOnEntry;
	mutable llvm::DenseMap<const Stmt *, const Decl *> LoadHome;
	// Loads of struct pointers made, on some path, under a lock or RCU (a
	// caller may hold the lock).
	mutable llvm::DenseSet<const Stmt *> GuardedLoads;
	// Leaks of a reference taken on an argument, or on a pointer of unknown
	// origin, held back until the function is done: reported only when
	// another path of the function put or handed off a reference from the
	// same get (a get wrapper keeps it on every path; a get for a holder
	// the function does not name, a mapping, too).
	mutable std::vector<std::pair<const Stmt *, std::unique_ptr<PathSensitiveBugReport>>> HeldBack;
	mutable llvm::DenseSet<const Stmt *> Consumed;
	mutable llvm::DenseMap<const Stmt *, size_t> PutIndex;
	// The release functions of each counted type, and what they do.
	mutable llvm::DenseMap<const RecordDecl *, llvm::SmallVector<const FunctionDecl *, 2>> Releases;
	mutable std::map<const FunctionDecl *, ReleaseFacts> Facts;
	// Fields of each counted type written where it is put (a dead flag
	// set before the final put).
	mutable llvm::DenseMap<const RecordDecl *, llvm::DenseSet<const Decl *>> PutSideWrites;
	// Callbacks registered with a destroy function that puts their data
	// (g_signal_connect_data, g_idle_add_full): the data is not theirs to put.
	mutable llvm::DenseSet<const Decl *> DataOwnedByRegistration;
	// Fields of a borrowed object tested in a branch, per function.
	mutable llvm::DenseMap<const Decl *, llvm::DenseSet<const Decl *>> Tested;

public:
	bool evalCall(const CallEvent &Call, CheckerContext &C) const;
	void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
	void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
	void checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const;
	void checkLocation(SVal L, bool IsLoad, const Stmt *S, CheckerContext &C) const;
	void checkPreStmt(const CallExpr *CE, CheckerContext &C) const;
	void noteCleanupCopy(const VarDecl *Dst, SVal V, const Stmt *S, CheckerContext &C) const;
	ProgramStateRef usedAfterBlock(ProgramStateRef St, SymbolRef Sym, const Stmt *Use, CheckerContext &C,
				       bool Got = false) const;
	void checkPostStmt(const CastExpr *E, CheckerContext &C) const;
	void checkPostStmt(const AtomicExpr *E, CheckerContext &C) const;
	void checkPostStmt(const CallExpr *E, CheckerContext &C) const;
	void checkPreStmt(const ReturnStmt *S, CheckerContext &C) const;
	void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
	void checkLiveSymbols(ProgramStateRef St, SymbolReaper &SR) const;
	ProgramStateRef cleanUp(ProgramStateRef St, const ReturnStmt *RS, CheckerContext &C) const;
	ProgramStateRef checkPointerEscape(ProgramStateRef St, const InvalidatedSymbols &Escaped,
					   const CallEvent *Call, PointerEscapeKind Kind) const;
	void checkBeginFunction(CheckerContext &C) const;
	ProgramStateRef evalAssume(ProgramStateRef St, SVal Cond, bool Assumption) const;
	void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;
	void checkBranchCondition(const Stmt *Cond, CheckerContext &C) const;
	void checkEndOfTranslationUnit(const TranslationUnitDecl *TU, AnalysisManager &Mgr,
				       BugReporter &BR) const;
	void checkEndAnalysis(ExplodedGraph &G, BugReporter &BR, ExprEngine &Eng) const;

private:
	void swapRaces(AnalysisManager &Mgr, BugReporter &BR) const;
	bool isRelease(const Decl *D, bool Callees = false) const;
	ProgramStateRef swappedOut(ProgramStateRef St, SymbolRef Old, const Stmt *At) const;
	void reportUsesAfterContainerPut(ProgramStateRef St, CheckerContext &C, SymbolReaper *SR) const;
	std::unique_ptr<PathSensitiveBugReport> useAfterContainerPut(SymbolRef S, const ExplodedNode *N,
								     const Stmt *PutAt) const;
	void reportAt(const BugType &BT, const std::string &Msg, const Stmt *Site, const Stmt *E, StringRef Note,
		      CheckerContext &C) const;
	std::pair<const Stmt *, const Decl *> outOfWrapper(const Stmt *E, CheckerContext &C) const;
	bool counted(const RecordDecl *RD, int Depth = 0) const;
	bool countedPtr(QualType T) const;
	void scanProgram(ASTContext &Ctx) const;
	Api apiOf(const CallEvent &Call, CheckerContext &C) const;
	ProgramStateRef get(ProgramStateRef St, SymbolRef S, const Stmt *E, bool Try,
			    CheckerContext &C) const;
	ProgramStateRef put(ProgramStateRef St, SymbolRef S, const Stmt *E, CheckerContext &C) const;
	ProgramStateRef handOff(ProgramStateRef St, SymbolRef S, const Stmt *E, StringRef To,
				CheckerContext &C) const;
	const ReleaseFacts &factsOf(const FunctionDecl *F) const;
	bool freedAfterGrace(const Stmt *E, CheckerContext &C) const;
	void givenAndReturned(SymbolRef S, QualType T, CheckerContext &C) const;
	const Decl *homeOf(const MemRegion *R, ProgramStateRef St) const;
	bool tornDownByRelease(QualType T, CheckerContext &C) const;
	ProgramStateRef gain(ProgramStateRef St, SymbolRef S, const Stmt *E) const;
	ProgramStateRef unlinked(ProgramStateRef St, SymbolRef S, const Stmt *E) const;
	ProgramStateRef outReferences(const CallEvent &Call, Doc D, ProgramStateRef St) const;
	void noteGet(const Stmt *E, const MemRegion *Lock, CheckerContext &C) const;
	void notePut(const CallEvent &Call, ProgramStateRef St, CheckerContext &C) const;
	void report(const BugType &BT, StringRef Msg, ProgramStateRef St, CheckerContext &C,
		    const Stmt *NoteAt = nullptr, StringRef Note = "", bool OncePerNote = false,
		    bool HoldBack = false) const;
};

// ---- what the program's types and comments say ------------------------

bool KrefChecker::counted(const RecordDecl *RD, int Depth) const
{
	if (!RD || Depth > 3)
		return false;
	RD = RD->getDefinition();
	if (!RD)
		return false;
	auto It = CountedCache.find(RD);
	if (It != CountedCache.end())
		return It->second;
	bool Yes = false;
	for (const FieldDecl *F : RD->fields()) {
		const RecordDecl *FR = F->getType()->getAsRecordDecl();
		if (FR && (FR->getName() == "kref" || counted(FR, Depth + 1))) {
			Yes = true;
			break;
		}
	}
	CountedCache[RD] = Yes;
	return Yes;
}

bool KrefChecker::countedPtr(QualType T) const
{
	return T->isPointerType() && counted(T->getPointeeType()->getAsRecordDecl());
}

/* Whether the body of F (a cleanup function) puts a reference: it calls
 * kref_put or a put by its name, or a function of its own that does, Depth
 * calls deep. */
static bool cleanupPuts(const FunctionDecl *F, int Depth)
{
	const Stmt *Body = F ? F->getBody() : nullptr;
	if (!Body || Depth < 0)
		return false;
	llvm::SmallVector<const Stmt *, 16> Work{Body};
	while (!Work.empty()) {
		const Stmt *S = Work.pop_back_val();
		if (!S)
			continue;
		if (const auto *CE = dyn_cast<CallExpr>(S)) {
			StringRef N = calleeName(CE);
			if (N.startswith("kref_put") || putName(N) ||
			    cleanupPuts(CE->getDirectCallee(), Depth - 1))
				return true;
		}
		for (const Stmt *Child : S->children())
			Work.push_back(Child);
	}
	return false;
}

/*
 * What the whole file says, read once: the fields that hold references
 * (the program puts through them somewhere: kref_put(&x->f->ref, ...) or
 * a put wrapper given x->f; only such fields are judged for rule 1 stores
 * and rule 2 overwrites), the release functions of each counted type,
 * the fields of a type written where it is put, and the callbacks whose
 * data a registration owns.
 */
static bool isGet(const Stmt *E);

void KrefChecker::scanProgram(ASTContext &Ctx) const
{
	if (Scanned == Ctx.getTranslationUnitDecl())
		return;
	Scanned = Ctx.getTranslationUnitDecl();
	// The program's put wrappers whatever their names: a body that calls
	// kref_put on its first parameter, a counted pointer.
	llvm::DenseSet<const Decl *> PutWrappers;
	struct P : RecursiveASTVisitor<P> {
		const KrefChecker &K;
		llvm::DenseSet<const Decl *> &Out;
		const FunctionDecl *In = nullptr;
		P(const KrefChecker &K, llvm::DenseSet<const Decl *> &Out) : K(K), Out(Out) {}
		bool TraverseFunctionDecl(FunctionDecl *FD)
		{
			In = FD->doesThisDeclarationHaveABody() && FD->getNumParams() &&
					     K.countedPtr(FD->getParamDecl(0)->getType())
				     ? FD
				     : nullptr;
			return RecursiveASTVisitor<P>::TraverseFunctionDecl(FD);
		}
		bool VisitCallExpr(CallExpr *CE)
		{
			StringRef N = calleeName(CE);
			if (!In || !(N.startswith("kref_put") || N.startswith("kref_get")) || !CE->getNumArgs())
				return true;
			const auto *M = dyn_cast<MemberExpr>(bare(CE->getArg(0)));	// &p->ref
			const auto *D = M ? dyn_cast<DeclRefExpr>(bare(M->getBase())) : nullptr;
			if (D && D->getDecl() == In->getParamDecl(0)) {
				K.Wrappers.insert(In->getCanonicalDecl());
				if (N.startswith("kref_put"))
					Out.insert(In->getCanonicalDecl());
			}
			return true;
		}
	} Wrappers(*this, PutWrappers);
	Wrappers.TraverseDecl(Ctx.getTranslationUnitDecl());
	struct V : RecursiveASTVisitor<V> {
		const KrefChecker &K;
		const llvm::DenseSet<const Decl *> &PutWrappers;
		V(const KrefChecker &K, const llvm::DenseSet<const Decl *> &W) : K(K), PutWrappers(W) {}
		// A call given a callback of the program's, then a data pointer,
		// then a destroy function that puts (GLib's order): the callback's
		// data belongs to the registration.
		void registration(const CallExpr *CE)
		{
			const FunctionDecl *Callback = nullptr;
			bool Data = false, Destroy = false;
			for (const Expr *A : CE->arguments()) {
				const auto *D = dyn_cast<DeclRefExpr>(A->IgnoreParenCasts());
				const auto *F = D ? dyn_cast<FunctionDecl>(D->getDecl()) : nullptr;
				if (!F)
					Data |= Callback && A->IgnoreParenImpCasts()->getType()->isPointerType();
				else if (!Callback && F->hasBody())
					Callback = F;
				else if (Data && (putName(F->getName()) ||
						  PutWrappers.count(F->getCanonicalDecl()) || cleanupPuts(F, 1)))
					Destroy = true;
			}
			if (Destroy)
				K.DataOwnedByRegistration.insert(Callback->getCanonicalDecl());
		}
		void field(const Expr *E)
		{
			const auto *M = dyn_cast<MemberExpr>(bare(E));
			const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
			if (!F)
				return;
			const RecordDecl *FR = F->getType()->getAsRecordDecl();
			if (FR && FR->getName() == "kref")
				field(M->getBase());	// &x->f->ref
			else if (K.countedPtr(F->getType()))
				K.CountingFields.insert(F);
		}
		// x->f = a call documented to return a new reference, or a get.
		bool VisitBinaryOperator(BinaryOperator *B)
		{
			const auto *CE = B->getOpcode() == BO_Assign
						 ? dyn_cast<CallExpr>(B->getRHS()->IgnoreParenCasts())
						 : nullptr;
			const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
			if (FD && (docOf(FD) == Doc::Gives || isGet(CE)))
				field(B->getLHS());
			return true;
		}
		bool VisitCallExpr(CallExpr *CE)
		{
			StringRef N = calleeName(CE);
			if (CE->getNumArgs() && (N.startswith("kref_put") || putName(N) ||
						 (CE->getDirectCallee() &&
						  PutWrappers.count(CE->getDirectCallee()->getCanonicalDecl()))))
				field(CE->getArg(0));
			// &x->f given to a function documented to store a new
			// reference there (its comment names the parameter).
			if (const FunctionDecl *FD = CE->getDirectCallee(); FD && docOf(FD) == Doc::Gives)
				for (unsigned I = 0; I < CE->getNumArgs() && I < FD->getNumParams(); I++)
					if (const auto *U = dyn_cast<UnaryOperator>(CE->getArg(I)->IgnoreParenCasts());
					    U && U->getOpcode() == UO_AddrOf && paramSays(FD, I, "reference"))
						field(U->getSubExpr());
			registration(CE);
			if (N.startswith("kref_put") && CE->getNumArgs() > 1)
				if (const auto *D = dyn_cast<DeclRefExpr>(bare(CE->getArg(1))))
					if (const auto *Rel = dyn_cast<FunctionDecl>(D->getDecl()))
						if (const RecordDecl *T = objectType(CE))
							K.Releases[T].push_back(Rel);
			return true;
		}
		// A function that puts a T: the fields of T it writes.
		bool VisitFunctionDecl(FunctionDecl *FD)
		{
			if (!FD->doesThisDeclarationHaveABody())
				return true;
			struct W : RecursiveASTVisitor<W> {
				const KrefChecker &K;
				llvm::DenseSet<const RecordDecl *> Put;
				llvm::SmallVector<std::pair<const RecordDecl *, const Decl *>, 8> Writes;
				explicit W(const KrefChecker &K) : K(K) {}
				const RecordDecl *ownerOf(const MemberExpr *M)
				{
					QualType T = M->getBase()->getType();
					const RecordDecl *RD =
						(M->isArrow() ? T->getPointeeType() : T)->getAsRecordDecl();
					return RD ? cast<RecordDecl>(RD->getCanonicalDecl()) : nullptr;
				}
				void write(const Expr *E)
				{
					if (const auto *M = dyn_cast<MemberExpr>(bare(E)))
						if (const RecordDecl *RD = ownerOf(M))
							Writes.push_back({RD, M->getMemberDecl()});
				}
				bool VisitBinaryOperator(BinaryOperator *B)
				{
					if (B->isAssignmentOp())
						write(B->getLHS());
					return true;
				}
				bool VisitCallExpr(CallExpr *CE)
				{
					StringRef N = calleeName(CE);
					if (CE->getNumArgs() && (N.startswith("kref_put") || putName(N)))
						if (const RecordDecl *T = objectType(CE))
							Put.insert(T);
					return true;
				}
			} Body(K);
			Body.TraverseStmt(FD->getBody());
			for (auto &[RD, F] : Body.Writes)
				if (Body.Put.count(RD))
					K.PutSideWrites[RD].insert(F);
			return true;
		}
	} Visitor(*this, PutWrappers);
	Visitor.TraverseDecl(Ctx.getTranslationUnitDecl());
}

static bool definedInMainFile(const FunctionDecl *FD, CheckerContext &C)
{
	const FunctionDecl *Def = nullptr;
	if (!FD->hasBody(Def))
		return false;
	return C.getSourceManager().isInMainFile(Def->getLocation());
}

Api KrefChecker::apiOf(const CallEvent &Call, CheckerContext &C) const
{
	const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
	if (!FD || !FD->getIdentifier() || definedInMainFile(FD, C))
		return Api::None;
	StringRef N = FD->getName();
	if (N == "kref_init")
		return Api::Init;
	if (N == "kref_get")
		return Api::Get;
	if (N == "kref_get_unless_zero")
		return Api::TryGet;
	if (N == "kref_put" || N == "kref_put_mutex" || N == "kref_put_lock")
		return Api::Put;
	if (N == "free" || N == "kfree" || N == "g_free" || N == "kvfree" || N == "vfree")
		return Api::Free;
	if (Api A = lockApi(N, Call.getNumArgs() && Call.getArgExpr(0)->getType()->isPointerType());
	    A != Api::None)
		return A;
	if (Call.getNumArgs() == 0 || !Call.getArgExpr(0)->getType()->isPointerType())
		return Api::None;
	// The program's own get and put, declared but defined elsewhere.
	if (!FD->hasBody() && countedPtr(Call.getArgExpr(0)->IgnoreParenCasts()->getType())) {
		// foo_get(o), or o = foo_get(o): a get of o.
		QualType RT = FD->getReturnType();
		bool Same = FD->getNumParams() && FD->getASTContext().hasSameUnqualifiedType(
							  RT, FD->getParamDecl(0)->getType());
		if ((getName(N) && (!RT->isPointerType() || Same)) ||
		    N == "get_device" || N == "get_task_struct" || N == "get_pid" || N == "get_net")
			return Api::Get;
		if (putName(N))
			return Api::Put;
	}
	return Api::None;
}

/* The function being analysed (the outermost frame). */
static const LocationContext *topFrame(CheckerContext &C)
{
	const LocationContext *LC = C.getLocationContext();
	while (LC->getParent())
		LC = LC->getParent();
	return LC;
}

static const Decl *topDecl(CheckerContext &C)
{
	return topFrame(C)->getDecl();
}

/* E, or where the get or put wrapper E is in was called (and the
 * function that called it). */
std::pair<const Stmt *, const Decl *> KrefChecker::outOfWrapper(const Stmt *E, CheckerContext &C) const
{
	scanProgram(C.getASTContext());
	const LocationContext *LC = C.getLocationContext();
	for (; LC->getParent() && Wrappers.count(LC->getDecl()->getCanonicalDecl()); LC = LC->getParent())
		E = LC->getStackFrame()->getCallSite();
	return {E, LC->getDecl()};
}

/* A function that takes what it finds out of its container (the caller
 * owns it then): named for removing, popping, dequeuing or taking. */
static bool takesOut(StringRef N)
{
	return unlinkName(N) || hasWord(N, {"pop", "dequeue", "take", "steal", "remove"});
}

/* A declared function whose comment says it keeps no reference to what it
 * is given (and not that it takes one over). */
static bool keepsNoReference(const FunctionDecl *FD)
{
	return commentHas(FD, {"keeps no reference", "takes no reference", "holds no reference",
			       "does not keep a reference", "does not take a reference",
			       "without taking a reference"}) &&
	       !commentHas(FD, {"takes ownership", "consumes", "steals", "takes over"});
}

/* Whether a call to FD may drop a reference it is given, by its name or
 * its comment. */
static bool mayDrop(const FunctionDecl *FD)
{
	return !FD->getIdentifier() || docOf(FD) == Doc::Consumes || putName(FD->getName()) ||
	       hasWord(FD->getName(), {"destroy", "free", "release", "unref", "clear", "dispose",
				       "finalize", "put", "drop", "consume", "close"}) ||
	       commentHas(FD, {"drops", "puts", "releases", "frees", "unref", "destroys"});
}

/* Whether the call CE is given the value of field FR. */
static bool givenField(const CallExpr *CE, const FieldRegion *FR)
{
	return CE && llvm::any_of(CE->arguments(), [&](const Expr *A) {
		       const auto *M = dyn_cast<MemberExpr>(A->IgnoreParenImpCasts());
		       return M && M->getMemberDecl() == FR->getDecl();
	       });
}

/* Whether New is the result of a call given the value of field FR (a
 * realloc-like call: the reference moved into what it returns). */
static bool madeFrom(SymbolRef New, const FieldRegion *FR)
{
	const auto *CS = dyn_cast_or_null<SymbolConjured>(New);
	return CS && givenField(dyn_cast_or_null<CallExpr>(CS->getStmt()), FR);
}

/* Whether the path read field FR and it still holds what was read, Old:
 * the same value, or the one a declared call made up after it was given
 * the field, a call that by its name and comment does not drop a
 * reference (RetainCountChecker's rule for calls it has no summary of). */
static bool stillRead(ProgramStateRef St, const FieldRegion *FR, SymbolRef Old)
{
	const SymbolRef *Read = St->get<ReadFields>(FR);
	if (!Read)
		return false;
	if (*Read == Old)
		return true;
	const auto *D = dyn_cast<SymbolDerived>(Old);
	const auto *CS = D ? dyn_cast<SymbolConjured>(D->getParentSymbol()) : nullptr;
	const auto *CE = CS ? dyn_cast_or_null<CallExpr>(CS->getStmt()) : nullptr;
	const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
	return FD && !FD->hasBody() && !mayDrop(FD) && givenField(CE, FR);
}

/* Whether E is a get: kref_get, or a get by its name. */
static bool isGet(const Stmt *E)
{
	const auto *CE = dyn_cast_or_null<CallExpr>(E);
	StringRef N = CE ? calleeName(CE) : "";
	return N.startswith("kref_get") || (!N.empty() && getName(N));
}

/* Whether the statement E is in the body of the function being analysed
 * (the innermost inlined one), not in a caller's or a callee's. */
static bool getsHere(const Stmt *E, CheckerContext &C)
{
	const Decl *D = C.getLocationContext()->getDecl();
	const Stmt *Body = D ? D->getBody() : nullptr;
	if (!E || !Body)
		return false;
	const SourceManager &SM = C.getSourceManager();
	SourceRange B = Body->getSourceRange(), R = E->getSourceRange();
	return !SM.isBeforeInTranslationUnit(R.getBegin(), B.getBegin()) &&
	       !SM.isBeforeInTranslationUnit(B.getEnd(), R.getEnd());
}

static SymbolRef objectOf(SVal V)
{
	if (const MemRegion *R = V.getAsRegion()) {
		R = R->getBaseRegion();
		if (const auto *SR = dyn_cast<SymbolicRegion>(R))
			return SR->getSymbol();
		return nullptr;
	}
	return V.getAsSymbol();
}

static ProgramStateRef forget(ProgramStateRef St, SymbolRef S)
{
	return St->remove<RefMap>(S)->add<Forgotten>(S);
}

static bool structPtr(QualType T)
{
	return T->isPointerType() && T->getPointeeType()->isRecordType();
}

/* The value a parameter of the analysed function came with. */
static bool paramValue(SymbolRef S)
{
	const auto *V = dyn_cast<SymbolRegionValue>(S);
	const auto *VR = V ? dyn_cast<VarRegion>(V->getRegion()) : nullptr;
	return VR && isa<ParmVarDecl>(VR->getDecl());
}

/* The value of a field (not of a variable or a parameter): one reference. */
static bool loadedFromField(SymbolRef S)
{
	const MemRegion *R = nullptr;
	if (const auto *V = dyn_cast<SymbolRegionValue>(S))
		R = V->getRegion();
	else if (const auto *D = dyn_cast<SymbolDerived>(S))
		R = D->getRegion();
	return isa_and_nonnull<FieldRegion>(R);
}

/* The field or global a pointer was loaded from (the value it had), or null. */
static const MemRegion *copiedFrom(SymbolRef S)
{
	const MemRegion *R = nullptr;
	if (const auto *V = dyn_cast<SymbolRegionValue>(S))
		R = V->getRegion();
	else if (const auto *D = dyn_cast<SymbolDerived>(S))
		R = D->getRegion();
	if (isa_and_nonnull<FieldRegion>(R) && !R->hasStackStorage())
		return R;
	if (const auto *VR = dyn_cast_or_null<VarRegion>(R);
	    VR && isa<GlobalsSpaceRegion>(VR->getMemorySpace()))
		return R;
	return nullptr;
}

/* Whether S contains a call. */
static bool callsAnything(const Stmt *S)
{
	if (!S || isa<CallExpr>(S))
		return S != nullptr;
	return llvm::any_of(S->children(), [](const Stmt *C) { return callsAnything(C); });
}

/* A call of the kernel's managed allocations (devm_, drmm_, pcim_): the
 * device owns the one reference and drops it when it goes. */
static bool managedCall(const Stmt *S)
{
	StringRef N = isa_and_nonnull<CallExpr>(S) ? calleeName(cast<CallExpr>(S)) : "";
	return N.startswith("devm_") || N.startswith("drmm_") || N.startswith("pcim_");
}

/* The slot a parameter P of type T ** (not an array) points to, the same
 * for every function whose parameter has that type and name: keyed by the
 * first such parameter seen. */
static const Decl *slotOf(const ParmVarDecl *P)
{
	QualType T = P ? P->getType() : QualType();
	if (T.isNull() || !T->isPointerType() || !T->getPointeeType()->isPointerType() ||
	    P->getOriginalType()->isArrayType() || !P->getIdentifier() || P->getName().size() < 3 ||
	    llvm::is_contained(std::initializer_list<StringRef>{"ptr", "out", "ret", "res", "result", "obj", "object"},
			       P->getName()))
		return nullptr;
	const RecordDecl *RD = T->getPointeeType()->getPointeeType()->getAsRecordDecl();
	if (!RD)
		return nullptr;
	static std::map<std::pair<const Decl *, std::string>, const ParmVarDecl *> Keys;
	return Keys.try_emplace({RD->getCanonicalDecl(), P->getName().str()}, P).first->second;
}

/* The field or global a region copiedFrom returned stands for, or the
 * slot of a struct T ** parameter. */
static const Decl *placeOf(const MemRegion *R)
{
	if (const auto *ER = dyn_cast_or_null<ElementRegion>(R); ER && ER->getIndex().isZeroConstant() &&
								 isa<SymbolicRegion>(ER->getSuperRegion()))
		R = ER->getSuperRegion();
	if (const auto *FR = dyn_cast_or_null<FieldRegion>(R))
		return FR->getDecl()->getCanonicalDecl();
	if (const auto *VR = dyn_cast_or_null<VarRegion>(R))
		return VR->getDecl()->getCanonicalDecl();
	const auto *SR = dyn_cast_or_null<SymbolicRegion>(R);
	const auto *RV = SR ? dyn_cast<SymbolRegionValue>(SR->getSymbol()) : nullptr;
	const auto *PR = RV ? dyn_cast<VarRegion>(RV->getRegion()) : nullptr;
	return PR ? slotOf(dyn_cast<ParmVarDecl>(PR->getDecl())) : nullptr;
}

/* The field or global &G or &x->f names. */
static const Decl *placeOfAddress(const Expr *E)
{
	const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
	const Expr *Sub = U && U->getOpcode() == UO_AddrOf ? U->getSubExpr()->IgnoreParens() : nullptr;
	if (const auto *M = dyn_cast_or_null<MemberExpr>(Sub))
		return M->getMemberDecl()->getCanonicalDecl();
	if (const auto *D = dyn_cast_or_null<DeclRefExpr>(Sub))
		if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()); VD && VD->hasGlobalStorage())
			return VD->getCanonicalDecl();
	if (const auto *D = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
		return slotOf(dyn_cast<ParmVarDecl>(D->getDecl()));
	return nullptr;
}

static bool casOp(const AtomicExpr *A)
{
	switch (A->getOp()) {
	case AtomicExpr::AO__atomic_compare_exchange_n:
	case AtomicExpr::AO__atomic_compare_exchange:
	case AtomicExpr::AO__c11_atomic_compare_exchange_strong:
	case AtomicExpr::AO__c11_atomic_compare_exchange_weak:
		return true;
	default:
		return false;
	}
}

/* The shared pointer S was loaded from: a field or global, read plainly
 * or by an atomic load (whose value the analyzer makes up). */
static const Decl *sharedPlace(SymbolRef S)
{
	if (const Decl *D = placeOf(copiedFrom(S)))
		return D;
	// *p, p a parameter of type T **: the slot it points to.
	const MemRegion *R = isa<SymbolRegionValue>(S)	 ? cast<SymbolRegionValue>(S)->getRegion()
			     : isa<SymbolDerived>(S) ? cast<SymbolDerived>(S)->getRegion()
						       : nullptr;
	if (isa_and_nonnull<SymbolicRegion>(R) || isa_and_nonnull<ElementRegion>(R))
		return placeOf(R);
	const auto *CS = dyn_cast_or_null<SymbolConjured>(S);
	const auto *A = CS ? dyn_cast_or_null<AtomicExpr>(CS->getStmt()) : nullptr;
	if (A && (A->getOp() == AtomicExpr::AO__atomic_load_n || A->getOp() == AtomicExpr::AO__c11_atomic_load ||
		  A->getOp() == AtomicExpr::AO__atomic_exchange_n || A->getOp() == AtomicExpr::AO__c11_atomic_exchange ||
		  casOp(A)))
		return placeOfAddress(A->getPtr());
	return nullptr;
}

/* The locks this path holds, shared or not. */
static llvm::SmallVector<const Decl *, 2> heldLocks(ProgramStateRef St)
{
	llvm::SmallVector<const Decl *, 2> Out;
	for (const MemRegion *R : St->get<LockStack>())
		if (const Decl *D = lockDecl(R))
			Out.push_back(D);
	return Out;
}

static std::string describe(SymbolRef S)
{
	if (const auto *RV = dyn_cast<SymbolRegionValue>(S)) {
		std::string D = RV->getRegion()->getDescriptiveName(false);
		if (!D.empty())
			return "'" + D + "'";
	}
	if (const auto *CS = dyn_cast<SymbolConjured>(S))
		if (const auto *CE = dyn_cast_or_null<CallExpr>(CS->getStmt()))
			if (!calleeName(CE).empty())
				return "the result of " + calleeName(CE).str() + "()";
	if (const auto *D = dyn_cast<SymbolDerived>(S)) {
		std::string N = D->getRegion()->getDescriptiveName(false);
		if (!N.empty())
			return "'" + N + "'";
	}
	if (const auto *FR = dyn_cast_or_null<FieldRegion>(copiedFrom(S)))
		return "the pointer loaded from '" + FR->getDecl()->getName().str() + "'";
	return "the object";
}

static std::string fieldName(const MemRegion *R)
{
	std::string D = R ? R->getDescriptiveName(false) : "";
	if (D.empty())
		if (const auto *FR = dyn_cast_or_null<FieldRegion>(R))
			D = FR->getDecl()->getName().str();
	return D.empty() ? "the field" : D;
}

static std::string lockName(const MemRegion *R)
{
	std::string D = R ? R->getDescriptiveName(false) : "";
	return D.empty() ? "the lock" : "'" + D + "'";
}

static bool lockHeld(ProgramStateRef St, const MemRegion *L)
{
	for (const MemRegion *R : St->get<LockStack>())
		if (R == L)
			return true;
	return false;
}

/* Borrowed S was found under a lock that was dropped since. */
static bool lockDropped(ProgramStateRef St, SymbolRef S, const RefState *R)
{
	return R->Lock && (!lockHeld(St, R->Lock) || St->contains<Unlocked>(S));
}

static ProgramStateRef setBorrowed(ProgramStateRef St, SymbolRef S, const Stmt *E, bool Documented)
{
	RefState R = RefState::make(RefState::Borrowed, E);
	R.Documented = Documented;
	R.RCU = St->get<RCUDepth>() > 0;
	auto Locks = St->get<LockStack>();
	R.Lock = Locks.isEmpty() ? nullptr : Locks.getHead();
	return St->set<RefMap>(S, R)->remove<Unlocked>(S);
}

// ---- reports -------------------------------------------------------------

/* N is at a call that ends the process (abort(), exit(), a failed assert):
 * what the path holds then is not leaked.  Only such calls: a thread's
 * exit, a longjmp or the analyzer giving up on a loop end no process. */
static bool endsProcess(const ExplodedNode *N)
{
	auto P = N->getLocation().getAs<StmtPoint>();
	const Stmt *S = P ? P->getStmt() : nullptr;
	const ParentMap &PM = N->getLocationContext()->getParentMap();
	for (int Up = 0; S && !isa<CallExpr>(S) && Up < 3; Up++)
		S = PM.getParent(const_cast<Stmt *>(S));
	const auto *CE = dyn_cast_or_null<CallExpr>(S);
	return CE && endsProcessName(calleeName(CE));
}

void KrefChecker::report(const BugType &BT, StringRef Msg, ProgramStateRef St, CheckerContext &C,
			 const Stmt *NoteAt, StringRef Note, bool OncePerNote, bool HoldBack) const
{
	ExplodedNode *N = C.generateNonFatalErrorNode(St);
	if (!N || (&BT == &Rule2Leak && endsProcess(N)))
		return;
	PathDiagnosticLocation At;
	if (NoteAt)
		At = PathDiagnosticLocation::createBegin(NoteAt, C.getSourceManager(),
							 C.getLocationContext());
	auto R = OncePerNote && NoteAt
			 ? std::make_unique<PathSensitiveBugReport>(
				   BT, Msg, N, At, C.getLocationContext()->getDecl())
			 : std::make_unique<PathSensitiveBugReport>(BT, Msg, N);
	if (NoteAt && !Note.empty())
		R->addNote(Note, At);
	if (HoldBack)
		HeldBack.emplace_back(NoteAt, std::move(R));
	else
		C.emitReport(std::move(R));
}

void KrefChecker::checkEndAnalysis(ExplodedGraph &G, BugReporter &BR, ExprEngine &Eng) const
{
	// A use after a container's put still pending where a path stopped
	// short of the function's end (a loop past the analyzer's bound, a
	// function that does not return): no later put came.
	for (const ExplodedNode &End : llvm::make_range(G.nodes_begin(), G.nodes_end()))
		if (End.succ_empty())
			for (auto &KV : End.getState()->get<UsedAfterContainerPut>())
				if (const ExplodedNode *N = UseNodes.lookup(KV.second))
					BR.emitReport(useAfterContainerPut(KV.first, N, nullptr));
	for (auto &[Get, R] : HeldBack)
		if (Consumed.count(Get))
			BR.emitReport(std::move(R));
	HeldBack.clear();
	Consumed.clear();
}

// ---- the events ------------------------------------------------------------

/* Two calls given the same table or key (an argument written alike). */
static bool sameTable(const Stmt *Lookup, const Stmt *Remove, const ASTContext &Ctx)
{
	const auto *A = dyn_cast_or_null<CallExpr>(Lookup), *B = dyn_cast_or_null<CallExpr>(Remove);
	if (!A || !B)
		return false;
	for (const Expr *X : A->arguments())
		for (const Expr *Y : B->arguments()) {
			llvm::FoldingSetNodeID IX, IY;
			bare(X)->Profile(IX, Ctx, true);
			bare(Y)->Profile(IY, Ctx, true);
			if (IX == IY && !isa<IntegerLiteral>(bare(X)))
				return true;
		}
	return false;
}

/* The states where a call kept its data and where it did not, by its
 * result (keptWhen's When). */
static std::pair<ProgramStateRef, ProgramStateRef> keptOrNot(ProgramStateRef St, DefinedOrUnknownSVal Ret,
							     int When, CheckerContext &C)
{
	if (When == 2) {
		SValBuilder &SVB = C.getSValBuilder();
		SVal Neg = SVB.evalBinOp(St, BO_LT, Ret, SVB.makeZeroVal(Ret.getType(C.getASTContext())),
					 SVB.getConditionType());
		auto NegD = Neg.getAs<DefinedOrUnknownSVal>();
		if (!NegD)
			return {St, nullptr};
		auto [Failed, Ok] = St->assume(*NegD);
		return {Ok, Failed};
	}
	auto [NonZero, Zero] = St->assume(Ret);
	return When ? std::make_pair(NonZero, Zero) : std::make_pair(Zero, NonZero);
}

/* Whether the program uses a call's result: not a statement of its own,
 * perhaps cast to void. */
static bool resultUsed(const Stmt *E, const LocationContext *LC)
{
	const ParentMap &PM = LC->getParentMap();
	const Stmt *P = PM.getParentIgnoreParens(E);
	if (const auto *Cast = dyn_cast_or_null<CStyleCastExpr>(P); Cast && Cast->getType()->isVoidType())
		return false;
	if (isa_and_nonnull<Expr, ReturnStmt, DeclStmt>(P))
		return true;
	if (const auto *I = dyn_cast_or_null<IfStmt>(P))
		return I->getCond() == E;
	if (const auto *W = dyn_cast_or_null<WhileStmt>(P))
		return W->getCond() == E;
	if (const auto *S = dyn_cast_or_null<SwitchStmt>(P))
		return S->getCond() == E;
	return false;
}

/* kref_get(&x->f->ref): the reference is x's, kept in its field f. */
static bool heldByField(const Stmt *E)
{
	const auto *CE = dyn_cast_or_null<CallExpr>(E);
	const auto *M = CE && CE->getNumArgs() ? dyn_cast<MemberExpr>(bare(CE->getArg(0))) : nullptr;
	return M && isa<MemberExpr>(bare(M->getBase()));
}

/* Whether FD takes a function pointer (a callback, a destroy function). */
static bool takesCallback(const FunctionDecl *FD)
{
	return llvm::any_of(FD->parameters(),
			    [](const ParmVarDecl *P) { return P->getType()->isFunctionPointerType(); });
}

/* Whether FD passes on its parameter I, by its contract: it takes a
 * callback and I is the callback's data, or its comment says it adopts
 * what it is given (SSL_CTX_set_cert_store, key_bindings_add). */
static bool passesOn(const FunctionDecl *FD, unsigned I)
{
	if (commentHas(FD, {"adopts"}))
		return true;
	return I < FD->getNumParams() && FD->getParamDecl(I)->getType()->isVoidPointerType() &&
	       takesCallback(FD);
}

/* St with S, a table's entry (not itself counted) that the call to FD
 * found under the innermost lock held: not one it hands over with a
 * reference, nor one it takes out of its table. */
static ProgramStateRef foundNode(ProgramStateRef St, SymbolRef S, const FunctionDecl *FD, Doc D)
{
	if (!S || D == Doc::Gives || takesOut(FD->getName()) || St->get<LockStack>().isEmpty())
		return St;
	return St->set<FoundNodes>(S, St->get<LockStack>().getHead());
}

/* When S is what a field holds now (reloaded after its holder was given to
 * a call), the pointer stored there that is still owed a get, or null. */
static SymbolRef owedThrough(ProgramStateRef St, SymbolRef S)
{
	if (const auto *SD = dyn_cast<SymbolDerived>(S))
		for (auto &KV : St->get<DutyMap>())
			if (KV.second.K == Duty::NeedGet && KV.second.Field == SD->getRegion())
				return KV.first;
	return nullptr;
}

/* The node of the path ending at End where statement At was evaluated. */
static const ExplodedNode *nodeAt(const ExplodedNode *End, const Stmt *At)
{
	for (const ExplodedNode *N = End; N; N = N->getFirstPred())
		if (N->getStmtForDiagnostics() == At)
			return N;
	return nullptr;
}

/* The uses after a container's put that no later put showed covered, of
 * the objects dead by SR (all of them at the end of the analysed function). */
void KrefChecker::reportUsesAfterContainerPut(ProgramStateRef St, CheckerContext &C, SymbolReaper *SR) const
{
	for (auto &KV : St->get<UsedAfterContainerPut>()) {
		if (SR && !SR->isDead(KV.first))
			continue;
		const ExplodedNode *N = UseNodes.lookup(KV.second);
		if (!N)
			N = nodeAt(C.getPredecessor(), KV.second);
		if (!N)
			continue;
		const RefState *RS = St->get<RefMap>(KV.first);
		C.emitReport(useAfterContainerPut(KV.first, N, RS ? RS->Where : nullptr));
	}
}

/* The report of a use of S at N after a container's put (noted at PutAt,
 * when known). */
std::unique_ptr<PathSensitiveBugReport> KrefChecker::useAfterContainerPut(SymbolRef S, const ExplodedNode *N,
									  const Stmt *PutAt) const
{
	auto R = std::make_unique<PathSensitiveBugReport>(
		Rule2, "rule 2: uses " + describe(S) + " after putting the reference this path had", N);
	if (PutAt)
		R->addNote("the reference was put here",
			   PathDiagnosticLocation::createBegin(PutAt, N->getCodeDecl().getASTContext().getSourceManager(),
							       N->getLocationContext()));
	return R;
}

/* The expression a store or a call at N hands S on as. */
static const Expr *handedAs(const ExplodedNode *N, const Stmt *At, SymbolRef S)
{
	if (const auto *B = dyn_cast<BinaryOperator>(At))
		return B->getRHS();
	if (const auto *CE = dyn_cast<CallExpr>(At))
		for (const Expr *A : CE->arguments())
			if (objectOf(N->getState()->getSVal(A, N->getLocationContext())) == S)
				return A;
	return nullptr;
}

/* Where a reference S, owed at N for what At hands on, was missing: when
 * At is in a function that passes on that parameter by its contract, its
 * caller's call (and so on up). */
static const ExplodedNode *callerOwes(const ExplodedNode *N, const Stmt *At, SymbolRef S)
{
	const Expr *Handed = handedAs(N, At, S);
	for (;;) {
		const StackFrameContext *SF = N->getStackFrame();
		const auto *FD = dyn_cast_or_null<FunctionDecl>(SF->getDecl());
		const auto *CE = dyn_cast_or_null<CallExpr>(SF->getCallSite());
		const auto *DR = Handed ? dyn_cast<DeclRefExpr>(bare(Handed)) : nullptr;
		const auto *P = DR ? dyn_cast<ParmVarDecl>(DR->getDecl()) : nullptr;
		if (SF->inTopFrame() || !FD || !CE || !P || P->getDeclContext() != FD ||
		    P->getFunctionScopeIndex() >= CE->getNumArgs() ||
		    !passesOn(FD, P->getFunctionScopeIndex()))
			return N;
		const ExplodedNode *Call = N;
		while (Call && (Call->getStackFrame() != SF->getParent()->getStackFrame() ||
				Call->getStmtForDiagnostics() != CE))
			Call = Call->getFirstPred();
		if (!Call)
			return N;
		N = Call;
		Handed = CE->getArg(P->getFunctionScopeIndex());
	}
}

ProgramStateRef KrefChecker::get(ProgramStateRef St, SymbolRef S, const Stmt *E, bool Try,
				 CheckerContext &C) const
{
	// (A pointer got once is this path's to keep alive: no longer a bare use.)
	St = usedAfterBlock(St->set<SharedUse>(S, nullptr), S, E, C, true);
	// The reference a store or a call is owed: it goes there, not to this path.
	// (A copy's holder had its own: how many references there are is unknown.)
	if (const Duty *D = St->get<DutyMap>(S); D && D->K == Duty::NeedGet) {
		const RefState *R = St->get<RefMap>(S);
		if (!R)
			return St->remove<DutyMap>(S)->add<Forgotten>(S);
		// A borrowed pointer now with the field's reference: a put through
		// the field puts that one.
		RefState O = *R;
		O.Documented = false;
		return St->remove<DutyMap>(S)->set<RefMap>(S, O);
	}
	if (SymbolRef Stored = owedThrough(St, S))
		return St->remove<DutyMap>(Stored)->add<Forgotten>(S);
	const RefState *R = St->get<RefMap>(S);
	std::string Obj = describe(S);
	// A get, in what a release calls, of the object it frees: from zero.
	if (const auto *Rel = dyn_cast<FunctionDecl>(topDecl(C)); !Try && Rel && Rel->getNumParams() == 1) {
		const LocationContext *Top = topFrame(C);
		scanProgram(C.getASTContext());
		SymbolRef Dying = St->getSVal(St->getRegion(Rel->getParamDecl(0), Top)).getAsSymbol();
		if (Dying && Dying == S && isRelease(Rel)) {
			// Reported at the release's call that leads here.
			const Stmt *Site = E;
			for (const LocationContext *LC = C.getLocationContext(); LC != Top; LC = LC->getParent())
				Site = LC->getStackFrame()->getCallSite();
			reportAt(Rule3,
				 "rule 3: this call takes a reference on the object that the release " +
					 Rel->getName().str() +
					 "() is freeing: its count is zero, and the get revives it (it is freed "
					 "twice, or used after the free)",
				 Site, E, "the reference is taken here", C);
			return forget(St, S);
		}
	}
	if (const Decl *Where = sharedPlace(S); Where && !Try && St->get<RCUDepth>() == 0) {
		auto [At, Fn] = outOfWrapper(E, C);
		SwapGets.push_back({objectType(E), Where, heldLocks(St), At, Fn, topDecl(C)});
	}
	if (!R) {
		St = St->remove<GivenAway>(S);
		if (const MemRegion *From = copiedFrom(S); !Try && From)
			if (SymbolRef Node = objectOf(loc::MemRegionVal(From)))
				if (const MemRegion *const *L = St->get<FoundNodes>(Node); L && !lockHeld(St, *L)) {
					report(Rule3,
					       "rule 3: gets " + Obj + " from an entry found under " + lockName(*L) +
						       ", after unlocking it: the final put can free it in between",
					       St, C);
					return forget(St, S);
				}
		if (const Stmt *const *Load = St->get<FoundBare>(S); Load && BareNoted.insert(E).second)
			BareGets.push_back({objectType(E), LoadHome.lookup(*Load), *Load, E,
					    C.getLocationContext()->getDecl(), topDecl(C), Try, false});
		// A call's result got under a lock (a container's node cast to its
		// object): that lock is the lookup's, as for a borrowed one.
		if (!Try && !St->get<LockStack>().isEmpty() && isa<SymbolConjured>(S))
			noteGet(E, St->get<LockStack>().getHead(), C);
		RefState O = RefState::make(RefState::Owned, E);
		O.Base = RefState::Unknown;
		// Not a call's fresh result: loaded from memory that stays, which
		// holds the reference.
		O.Escaped = !(isa<SymbolConjured>(S) || paramValue(S)) || heldByField(E);
		return St->set<RefMap>(S, O);
	}
	RefState O = *R;
	switch (R->K) {
	case RefState::Owned:
		O.N++;
		return St->set<RefMap>(S, O);
	case RefState::Released:
		report(Rule2, "rule 2: gets " + Obj + " after putting the reference this path had", St,
		       C, R->Where, "the reference was put here");
		return forget(St, S);
	case RefState::Borrowed:
		if (!Try && lockDropped(St, S, R))
			report(Rule3,
			       "rule 3: gets " + Obj + " after unlocking " + lockName(R->Lock) +
				       ", the lock it was found under: the final put can free it in between",
			       St, C, R->Where, "found here, under the lock");
		else if (Try && lockDropped(St, S, R) && St->get<RCUDepth>() == 0 &&
			 !freedAfterGrace(E, C))
			report(Rule3,
			       "rule 3: kref_get_unless_zero on " + Obj + " after unlocking " +
				       lockName(R->Lock) +
				       ", the lock it was found under: its release can free the memory in between",
			       forget(St, S), C, R->Where, "found here, under the lock");
		else if (!Try && R->Lock)
			noteGet(E, R->Lock, C);
		else if (!Try && !R->Lock && R->RCU)
			report(Rule3,
			       "rule 3: kref_get on " + Obj +
				       ", found under RCU only: its count may already be zero; use kref_get_unless_zero",
			       St, C, R->Where, "found here, in the RCU read section");
		LLVM_FALLTHROUGH;
	case RefState::Param:
		O.Base = R->K;
		O.K = RefState::Owned;
		O.N = 1;
		O.Escaped = R->Escaped || heldByField(E);
		if (R->K == RefState::Param)
			O.Where = E;
		return St->set<RefMap>(S, O);
	case RefState::Unknown:
		break;
	}
	return St;
}

/* A condition that reads a state kept in memory: a field, or a call given
 * a pointer (`watchlist_remove(w)`, `!list_empty(&e->node)`), other than
 * a null or error test of a pointer (`IS_ERR_OR_NULL(p)`). */
static bool stateTest(const Stmt *Cond, bool FlagOnly = false)
{
	if (!Cond)
		return false;
	if (const auto *M = dyn_cast<MemberExpr>(Cond))
		return !FlagOnly || M->getType()->isBooleanType();
	if (FlagOnly)
		return llvm::any_of(Cond->children(), [](const Stmt *S) { return stateTest(S, true); });
	if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
		StringRef N = calleeName(CE);
		bool NullTest = N.startswith("IS_ERR") || N == "likely" || N == "unlikely" ||
				N == "__builtin_expect";
		if (!NullTest && llvm::any_of(CE->arguments(), [](const Expr *A) {
			    return A->IgnoreParenImpCasts()->getType()->isPointerType();
		    }))
			return true;
	}
	return llvm::any_of(Cond->children(), [](const Stmt *S) { return stateTest(S); });
}

/* The put, or a call on the way to it, runs only when such a state holds. */
static bool putWhen(const Stmt *E, CheckerContext &C, bool FlagOnly = false)
{
	const Stmt *S = E;
	for (const LocationContext *LC = C.getLocationContext(); LC && S;) {
		const ParentMap &PM = LC->getParentMap();
		for (const Stmt *Child = S, *P = PM.getParent(S); P; Child = P, P = PM.getParent(P))
			if (const auto *If = dyn_cast<IfStmt>(P);
			    If && Child != If->getCond() && stateTest(If->getCond(), FlagOnly))
				return true;
		const StackFrameContext *SF = LC->getStackFrame();
		S = SF->getCallSite();
		LC = SF->getParent();
	}
	return false;
}

/* Adds to Unlinked the objects the variables named in X hold. */
static ProgramStateRef unlinkNamed(ProgramStateRef St, const Stmt *X, const LocationContext *LC)
{
	if (!X)
		return St;
	if (const auto *DR = dyn_cast<DeclRefExpr>(X))
		if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
			if (SymbolRef S = objectOf(St->getSVal(St->getLValue(VD, LC))))
				St = St->add<Unlinked>(S);
	for (const Stmt *Child : X->children())
		St = unlinkNamed(St, Child, LC);
	return St;
}

/* The completion a call completes or waits on, when it is given as
 * &V->m (or &V->a.m): V and the member m. */
static std::pair<const VarDecl *, const ValueDecl *> completionOf(const CallExpr *CE)
{
	const auto *U = CE->getNumArgs() ? dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenCasts()) : nullptr;
	const auto *M = U && U->getOpcode() == UO_AddrOf ? dyn_cast<MemberExpr>(U->getSubExpr()->IgnoreParens())
							 : nullptr;
	if (!M)
		return {};
	const ValueDecl *Member = M->getMemberDecl();
	while (!M->isArrow()) {		// &V->a.m: through members held by value
		M = dyn_cast<MemberExpr>(M->getBase()->IgnoreParens());
		if (!M)
			return {};
	}
	const auto *DR = dyn_cast<DeclRefExpr>(M->getBase()->IgnoreParenImpCasts());
	return {DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr, Member};
}

/* Some call in F's body completes the member Member. */
static bool completes(const FunctionDecl *F, const ValueDecl *Member)
{
	const FunctionDecl *Def = nullptr;
	if (!F || !F->hasBody(Def))
		return false;
	struct V : RecursiveASTVisitor<V> {
		const ValueDecl *Member;
		bool Found = false;
		bool VisitCallExpr(CallExpr *CE)
		{
			Found = Found || (calleeName(CE).startswith("complete") && completionOf(CE).second == Member);
			return !Found;
		}
	} Visitor;
	Visitor.Member = Member;
	Visitor.TraverseStmt(Def->getBody());
	return Visitor.Found;
}

/* Next, the statement after the put E, waits for a completion of S's that
 * E's release function completes. */
static bool waitsOn(const Stmt *Next, SymbolRef S, const CallExpr *E, ProgramStateRef St,
		    const LocationContext *LC)
{
	const auto *CE = dyn_cast<CallExpr>(Next);
	if (!CE || !calleeName(CE).startswith("wait_for_completion"))
		return false;
	auto [VD, Member] = completionOf(CE);
	if (!VD || objectOf(St->getSVal(St->getLValue(VD, LC))) != S)
		return false;
	for (const Expr *A : E->arguments())
		if (const auto *DR = dyn_cast<DeclRefExpr>(A->IgnoreParenCasts()))
			if (completes(dyn_cast<FunctionDecl>(DR->getDecl()), Member))
				return true;
	return false;
}

/* The put E is followed, in its block or (as the last thing a function
 * does) in its caller's, by a wait for the completion in S that E's release
 * completes: the put drops the initial reference and the release wakes this
 * path, which owns the object still (the drain idiom). */
static bool drainedAfter(ProgramStateRef St, SymbolRef S, const CallExpr *E, CheckerContext &C)
{
	const Stmt *At = E;
	for (const LocationContext *LC = C.getLocationContext(); LC && At;) {
		const ParentMap &PM = LC->getParentMap();
		const Stmt *Child = At, *P = PM.getParent(At);
		for (; P && !isa<CompoundStmt>(P); Child = P, P = PM.getParent(P))
			;
		if (const auto *CS = dyn_cast_or_null<CompoundStmt>(P)) {
			const auto *It = llvm::find(CS->body(), Child);
			if (It != CS->body_end() && std::next(It) != CS->body_end())
				return waitsOn(*std::next(It), S, E, St, LC);
			if (CS != LC->getDecl()->getBody())
				return false;
		}
		const StackFrameContext *SF = LC->getStackFrame();
		At = SF->getCallSite();
		LC = SF->getParent();
	}
	return false;
}

ProgramStateRef KrefChecker::put(ProgramStateRef St, SymbolRef S, const Stmt *E,
				 CheckerContext &C) const
{
	if (const RefState *R = St->get<RefMap>(S); !(R && R->K == RefState::Released))
		if (const auto *CE = dyn_cast<CallExpr>(E); CE && drainedAfter(St, S, CE, C))
			return St->set<RefMap>(S, RefState::make(RefState::Released, E))->add<Drained>(S);
	// (A path that puts it held a reference: no longer a bare use.)
	if (St->get<SharedUse>(S))
		St = St->set<SharedUse>(S, nullptr);
	if (const Duty *D = St->get<DutyMap>(S); D && D->K == Duty::NeedPut)
		St = St->remove<DutyMap>(S);
	if (SymbolRef Stored = owedThrough(St, S)) {
		Duty D = *St->get<DutyMap>(Stored);
		D.PutThrough = true;
		St = St->set<DutyMap>(Stored, D);
	}
	if (const RefState *O = St->get<RefMap>(S);
	    St->contains<RegisteredData>(S) && !(O && O->K == RefState::Owned)) {
		report(Rule2,
		       "rule 2: puts " + describe(S) +
			       ", the callback's data, whose reference its registration's destroy "
			       "function puts: a put of a reference this callback does not own",
		       St, C);
		return St->remove<RegisteredData>(S);
	}
	const RefState *R = St->get<RefMap>(S);
	std::string Obj = describe(S);
	// Made here, its one reference went to a call that keeps it: this put
	// drops that.
	if (const Stmt *const *Given = !R && St->contains<MadeAndGiven>(S) ? St->get<GivenAway>(S) : nullptr)
		if (const auto *CE = dyn_cast<CallExpr>(*Given)) {
			reportAt(Rule2,
				 "rule 2: puts " + Obj + " after handing its one reference to " + calleeName(CE).str() +
					 "(), which keeps it: a put of a reference this path no longer has",
				 outOfWrapper(E, C).first, *Given, "handed on here", C);
			return St->remove<GivenAway>(S);
		}
	// A parameter put only when a state holds, or a pointer a declared
	// call returned put only when a flag says so: the reference dropped is
	// the one that state stood for (a list's, a pending operation's), not
	// the caller's.
	if ((((R && R->K == RefState::Param) || (!R && paramValue(S))) && putWhen(E, C)) ||
	    (!R && isa<SymbolConjured>(S) && putWhen(E, C, true)))
		return St;
	if (!R || R->K == RefState::Param) {
		// A pointer loaded from a field is that field's one reference; a
		// parameter may carry more than one: no double-put report.
		RefState O = RefState::make(RefState::Released, E);
		O.Weak = R || St->contains<Forgotten>(S) || !loadedFromField(S);
		if (O.Weak && St->contains<Unlinked>(S))
			St = St->add<ContainerPut>(S);
		return St->set<RefMap>(S, O);
	}
	RefState O = *R;
	switch (R->K) {
	case RefState::Owned:
		Consumed.insert(R->Where);
		if (--O.N == 0) {
			if (R->Base == RefState::Unknown)
				return forget(St, S);
			O.K = R->Base;
			O.Where = E;
		}
		return St->set<RefMap>(S, O);
	case RefState::Released:
		if (!R->Weak)
			reportAt(Rule2, "rule 2: puts " + Obj + " a second time on this path",
				 outOfWrapper(E, C).first, R->Where, "first put here", C);
		return St->remove<UsedAfterContainerPut>(S);
	case RefState::Borrowed:
		if (R->Documented)
			reportAt(Rule2,
				 "rule 2: puts " + Obj +
					 ", which its lookup returns without a reference: a put of a reference never taken",
				 outOfWrapper(E, C).first, R->Where, "looked up here, documented as returning no reference",
				 C);
		// Else the put is of the reference the memory it was loaded from
		// held, perhaps not the last: no double-put report after it.
		{
			RefState O = RefState::make(RefState::Released, E);
			O.Weak = true;
			return St->set<RefMap>(S, O);
		}
	default:
		return St;
	}
}

/* The path gains a reference it did not get: a cancelled timer's or work
 * item's, whose callback would have put it. */
ProgramStateRef KrefChecker::gain(ProgramStateRef St, SymbolRef S, const Stmt *E) const
{
	const RefState *R = St->get<RefMap>(S);
	RefState O = RefState::make(RefState::Owned, E);
	// Whether the item held a reference is not known here: counted, never
	// reported as a leak.
	O.Escaped = true;
	if (!R) {
		O.Base = RefState::Unknown;
	} else if (R->K == RefState::Owned) {
		O = *R;
		O.N++;
	} else {
		O.Base = R->K;
	}
	return St->set<RefMap>(S, O);
}

/* A borrowed pointer taken out of the container it was found in: the
 * container's reference is the path's now. */
ProgramStateRef KrefChecker::unlinked(ProgramStateRef St, SymbolRef S, const Stmt *E) const
{
	const RefState *R = St->get<RefMap>(S);
	if (!R || R->K != RefState::Borrowed)
		return St;
	RefState O = RefState::make(RefState::Owned, E);
	O.Base = RefState::Unknown;
	O.Escaped = true;
	return St->set<RefMap>(S, O);
}

ProgramStateRef KrefChecker::handOff(ProgramStateRef St, SymbolRef S, const Stmt *E, StringRef To,
				     CheckerContext &C) const
{
	const RefState *R = St->get<RefMap>(S);
	if (!R)
		return St;
	std::string Obj = describe(S);
	switch (R->K) {
	case RefState::Owned: {
		Consumed.insert(R->Where);
		RefState O = *R;
		if (--O.N == 0) {
			if (R->Base == RefState::Released || R->Base == RefState::Unknown)
				return forget(St, S)->set<GivenAway>(S, E);
			// Found, got, and the lock or RCU section it was found
			// in left since: the get kept rule 3, so no longer
			// followed (a timer armed again keeps the reference
			// it had).  Still followed when the keeper is
			// documented to take the caller's reference over: a
			// later use has none.
			const auto *CE = dyn_cast<CallExpr>(E);
			const FunctionDecl *K = CE ? CE->getDirectCallee() : nullptr;
			if (R->Base == RefState::Borrowed && !(K && docOf(K) == Doc::Consumes) &&
			    ((R->RCU && St->get<RCUDepth>() == 0) || lockDropped(St, S, R)))
				return forget(St, S)->set<GivenAway>(S, E);
			O.K = R->Base;
		}
		return St->set<RefMap>(S, O);
	}
	case RefState::Param:
		report(Rule1,
		       "rule 1: hands " + Obj + " to " + To.str() +
			       ", which keeps it, without taking a reference for it",
		       St, C);
		return St;
	case RefState::Borrowed:
		report(Rule1,
		       "rule 1: hands " + Obj + " to " + To.str() +
			       ", which keeps it, without taking a reference: it was found with none",
		       St, C, R->Where, "found here");
		return St;
	case RefState::Released:
		if (St->contains<Drained>(S))
			return St;
		report(Rule1,
		       "rule 1: hands " + Obj + " to " + To.str() +
			       " after putting the reference this path had",
		       St, C, R->Where, "the reference was put here");
		return St;
	case RefState::Unknown:
		break;
	}
	return St;
}

bool KrefChecker::evalCall(const CallEvent &Call, CheckerContext &C) const
{
	Api A = apiOf(Call, C);
	const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
	if (A == Api::None || A == Api::Free || !CE)
		return false;
	ProgramStateRef St = C.getState();
	const LocationContext *LC = C.getLocationContext();
	SValBuilder &SVB = C.getSValBuilder();
	QualType RT = Call.getResultType();
	SymbolRef Obj = Call.getNumArgs() ? objectOf(Call.getArgSVal(0)) : nullptr;
	const MemRegion *Arg0 = Call.getNumArgs() ? Call.getArgSVal(0).getAsRegion() : nullptr;

	if (A == Api::TryGet) {
		ProgramStateRef Ok = St->BindExpr(CE, LC, SVB.makeIntVal(1, RT));
		ProgramStateRef No = St->BindExpr(CE, LC, SVB.makeIntVal(0, RT));
		if (Obj)
			Ok = get(Ok, Obj, CE, true, C);
		C.addTransition(Ok);
		C.addTransition(No);
		return true;
	}
	switch (A) {
	case Api::Init:
		if (Obj) {
			RefState O = RefState::make(RefState::Owned, CE);
			// Initialised through a pointer it was given: its caller owns it.
			O.Escaped = isa<SymbolRegionValue>(Obj);
			St = St->set<RefMap>(Obj, O);
		}
		break;
	case Api::Get:
		if (Obj)
			St = get(St, Obj, CE, false, C);
		if (RT->isPointerType()) {	// returns its argument
			C.addTransition(St->BindExpr(CE, LC, Call.getArgSVal(0)));
			return true;
		}
		break;
	case Api::Put:
		notePut(Call, St, C);
		if (Obj && calleeName(CE) == "kref_put")
			if (const CountRead *R = St->get<CountReadUnder>(Obj);
			    R && !St->get<LockStack>().contains(R->Lock))
				report(Rule3,
				       "rule 3: puts " + describe(Obj) + " after reading its count under " +
					       lockName(R->Lock) +
					       " and dropping that lock: the count can change in between (a lookup "
					       "gets, another put); put under the lock (kref_put_mutex)",
				       St, C, R->At, "the count was read here");
		if (Obj)
			St = put(St, Obj, CE, C);
		break;
	case Api::Lock:
		if (Arg0) {
			St = St->add<LockStack>(Arg0->StripCasts());
			if (readLockName(calleeName(CE)))
				St = St->add<ReadLocks>(Arg0->StripCasts());
		}
		break;
	case Api::Unlock:
		if (Arg0) {
			const MemRegion *L = Arg0->StripCasts();
			llvm::SmallVector<const MemRegion *, 4> Keep;
			bool Dropped = false;
			for (const MemRegion *R : St->get<LockStack>()) {
				if (R == L && !Dropped)
					Dropped = true;
				else
					Keep.push_back(R);
			}
			St = St->remove<LockStack>()->remove<ReadLocks>(L);
			if (!Dropped)	// held by the caller
				LockedOnEntry.insert(topDecl(C));
			for (auto I = Keep.rbegin(); I != Keep.rend(); ++I)
				St = St->add<LockStack>(*I);
			// Unsafe from now on, unless another lock still held
			// (an outer one) kept it.
			if (St->get<LockStack>().isEmpty())
				for (auto &KV : St->get<RefMap>())
					if (KV.second.K == RefState::Borrowed && KV.second.Lock == L)
						St = St->add<Unlocked>(KV.first);
		}
		break;
	case Api::RcuLock:
		St = St->set<RCUDepth>(St->get<RCUDepth>() + 1);
		break;
	case Api::RcuUnlock:
		if (St->get<RCUDepth>())
			St = St->set<RCUDepth>(St->get<RCUDepth>() - 1);
		break;
	case Api::RcuDeref:
		if (Call.getNumArgs()) {
			SVal V = Call.getArgSVal(0);
			St = St->BindExpr(CE, LC, V);
			if (SymbolRef S = objectOf(V); S && !St->get<RefMap>(S))
				St = setBorrowed(St, S, CE, false);
			C.addTransition(St);
			return true;
		}
		break;
	default:
		break;
	}
	if (!RT->isVoidType()) {
		SVal V = (A == Api::Lock || A == Api::Unlock) && RT->isIntegerType()
				 ? SVal(SVB.makeIntVal(0, RT))
				 : SVal(SVB.conjureSymbolVal(nullptr, CE, LC, RT, C.blockCount()));
		St = St->BindExpr(CE, LC, V);
	}
	C.addTransition(St);
	return true;
}

/* E, a kref_read() written out (not in a macro: an assert, a WARN_ON),
 * is compared with 1 (or 2) in an if's condition or for a flag: the test
 * of the last reference, not a log line. */
static bool lastReferenceTest(const Expr *E, const ParentMap &PM, ASTContext &Ctx)
{
	// (ParentMap takes non-const statements; nothing here changes them.)
	Stmt *S = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(E));
	const auto *B = dyn_cast_or_null<BinaryOperator>(S);
	if (!B || !B->isComparisonOp() || E->getBeginLoc().isMacroID())
		return false;
	const Expr *Other = B->getLHS()->IgnoreParenImpCasts() == E ? B->getRHS() : B->getLHS();
	Expr::EvalResult R;
	if (!Other->EvaluateAsInt(R, Ctx) || R.Val.getInt() < 1 || R.Val.getInt() > 2)
		return false;
	auto Assigns = [](const Stmt *P) {
		return isa_and_nonnull<BinaryOperator>(P) && cast<BinaryOperator>(P)->isAssignmentOp();
	};
	while (isa_and_nonnull<Expr>(PM.getParent(S)) && !Assigns(PM.getParent(S)))
		S = PM.getParent(S);
	Stmt *P = PM.getParent(S);
	// last = kref_read(&o->ref) == 1; if (last) ...
	if (Assigns(P))
		return isa<DeclRefExpr>(bare(cast<BinaryOperator>(P)->getLHS()));
	if (isa_and_nonnull<DeclStmt>(P))
		return true;
	const auto *If = dyn_cast_or_null<IfStmt>(P);
	return If && If->getCond() == S;
}

/* Something taken out of a list, tree or table (list_del, rb_erase,
 * idr_remove...): what the variables named in its arguments hold. */
void KrefChecker::checkPostStmt(const CallExpr *E, CheckerContext &C) const
{
	if (!hasWord(calleeName(E), {"unlink", "list_del", "remove", "erase"}))
		return;
	ProgramStateRef St = C.getState();
	for (const Expr *A : E->arguments())
		St = unlinkNamed(St, A, C.getLocationContext());
	if (St != C.getState())
		C.addTransition(St);
}

void KrefChecker::checkPreCall(const CallEvent &Call, CheckerContext &C) const
{
	const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
	const Expr *E = Call.getOriginExpr();
	if (!FD || !FD->getIdentifier() || !E)
		return;
	ProgramStateRef St = C.getState();
	// A count read under a lock, to decide whether this is the last
	// reference: the put that follows must be under it too.
	if (FD->getName() == "kref_read" && Call.getNumArgs() && !St->get<LockStack>().isEmpty() &&
	    lastReferenceTest(E, C.getLocationContext()->getParentMap(), C.getASTContext()))
		if (SymbolRef S = objectOf(Call.getArgSVal(0))) {
			C.addTransition(St->set<CountReadUnder>(S, CountRead{St->get<LockStack>().getHead(), E}));
			return;
		}
	if (apiOf(Call, C) == Api::Free && Call.getNumArgs()) {
		// A pointer stored in the freed memory, or copied out of it, and
		// not put since, is owed no reference any more.
		if (const MemRegion *M = Call.getArgSVal(0).getAsRegion()) {
			M = M->getBaseRegion();
			auto In = [M](const MemRegion *R) { return R && R->getBaseRegion() == M; };
			for (auto &KV : St->get<DutyMap>())
				if (const RefState *R = St->get<RefMap>(KV.first);
				    KV.second.K == Duty::NeedGet && !KV.second.PutThrough &&
				    (In(KV.second.Field) || In(KV.second.From)) &&
				    !(R && R->K == RefState::Released))
					St = St->remove<DutyMap>(KV.first);
		}
		SymbolRef S = objectOf(Call.getArgSVal(0));
		const RefState *R = S ? St->get<RefMap>(S) : nullptr;
		if (!R) {
			if (St != C.getState())
				C.addTransition(St);
			return;
		}
		if (R->K == RefState::Released && !St->contains<Drained>(S))
			report(Rule2,
			       "rule 2: frees " + describe(S) +
				       " after putting its reference: free it only in the release function",
			       St, C, R->Where, "the reference was put here");
		else if (R->K == RefState::Owned && R->Base == RefState::Released && R->N == 1)
			St = forget(St, S);
		if (St != C.getState())
			C.addTransition(St);
		return;
	}
	if (definedInMainFile(FD, C))
		return;
	if (FD->getName() == "pthread_join" || FD->getName() == "thrd_join") {
		// The thread has ended: what it was given needs no reference now.
		for (auto &KV : St->get<DutyMap>())
			if (const auto *CE = dyn_cast<CallExpr>(KV.second.At);
			    CE && KV.second.K == Duty::NeedGet && !KV.second.Field &&
			    (calleeName(CE) == "pthread_create" || calleeName(CE) == "thrd_create"))
				St = St->remove<DutyMap>(KV.first);
		C.addTransition(St);
		return;
	}
	if (unlinkName(FD->getName()) || hasWord(FD->getName(), {"pop", "dequeue"}) ||
	    commentHas(FD, {"unlinks", "removes the entry", "removes it from"})) {
		bool Given = false;
		for (unsigned I = 0; I < Call.getNumArgs(); I++)
			if (SymbolRef S = objectOf(Call.getArgSVal(I)); S && St->get<RefMap>(S)) {
				St = unlinked(St, S, E);
				Given = true;
			}
		// Removed by its key from the table it was found in (an argument
		// in common with its lookup): what the path found is unlinked.
		if (!Given)
			for (auto &KV : St->get<RefMap>())
				if (sameTable(KV.second.Where, E, C.getASTContext()))
					St = unlinked(St, KV.first, E);
		C.addTransition(St);
		return;
	}
	int K = keptArg(Call, FD);
	if (K >= 0 && (unsigned)K < Call.getNumArgs()) {
		// An owned reference goes with it, in checkPostCall; else this
		// path owes the call a get.
		SymbolRef S = objectOf(Call.getArgSVal(K));
		const RefState *R = S ? St->get<RefMap>(S) : nullptr;
		if (R && R->K == RefState::Released && !St->contains<Drained>(S))
			handOff(St, S, E, FD->getName().str() + "()", C);
		if (R && (R->K == RefState::Param || R->K == RefState::Borrowed) &&
		    !tornDownByRelease(Call.getArgExpr(K)->IgnoreParenCasts()->getType(), C))
			if (ExplodedNode *N = C.addTransition(
				    St->set<DutyMap>(S, Duty{Duty::NeedGet, E, nullptr, true, nullptr, false})))
				DutyNodes.try_emplace(E, N);
		return;
	}
	// The kernel's cursor lookups put the cursor they start from.
	if (int From = cursorArg(FD->getName(), Call.getNumArgs()); From >= 0 && (unsigned)From < Call.getNumArgs()) {
		if (SymbolRef S = objectOf(Call.getArgSVal(From)))
			if (const RefState *R = St->get<RefMap>(S); R && R->K == RefState::Owned)
				C.addTransition(handOff(St, S, E, FD->getName().str() + "()", C));
		return;
	}
	// Given after its put to a function that works on the counted object
	// (its parameter has that type), or given a member's address: the
	// function reads freed memory.  (A function with a body is inlined:
	// its own uses are seen.)
	if (Api A = apiOf(Call, C);
	    !FD->hasBody() && (A == Api::None || A == Api::Lock || A == Api::Unlock))
		for (unsigned I = 0; I < Call.getNumArgs() && I < FD->getNumParams(); I++) {
			const MemRegion *M = Call.getArgSVal(I).getAsRegion();
			bool Member = M && M->StripCasts() != M->getBaseRegion();
			if (SymbolRef S = objectOf(Call.getArgSVal(I));
			    S && (Member || countedPtr(FD->getParamDecl(I)->getType())))
				if (const RefState *R = St->get<RefMap>(S);
				    R && R->K == RefState::Released && !R->Weak && !St->contains<Drained>(S)) {
					report(Rule2,
					       "rule 2: passes " + std::string(Member ? "a member of " : "") +
						       describe(S) + " to " + FD->getName().str() +
						       "() after putting the reference this path had",
					       St, C, R->Where, "the reference was put here");
					C.addTransition(forget(St, S));
					return;
				}
		}
	// The program's own functions, declared only: consumes, or uses after put.
	if (Doc D = docOf(FD); D == Doc::Consumes) {
		for (unsigned I = 0; I < Call.getNumArgs(); I++)
			if (SymbolRef S = objectOf(Call.getArgSVal(I)))
				if (const RefState *R = St->get<RefMap>(S); R && R->K == RefState::Owned)
					St = handOff(St, S, E, FD->getName().str() + "()", C);
		C.addTransition(St);
	}
}

/* A documented reference handed back through a T ** parameter. */
ProgramStateRef KrefChecker::outReferences(const CallEvent &Call, Doc D,
					   ProgramStateRef St) const
{
	const auto *FD = cast<FunctionDecl>(Call.getDecl());
	bool Found = D == Doc::Borrows ||
		     (D == Doc::None && !makesName(FD->getName()) &&
		      (lookupName(FD->getName()) || !St->get<LockStack>().isEmpty() ||
		       St->get<RCUDepth>() > 0));
	if (D != Doc::Gives && !Found)
		return St;
	for (unsigned I = 0; I < Call.getNumArgs(); I++) {
		QualType T = Call.getArgExpr(I)->IgnoreParenCasts()->getType();
		const MemRegion *R = Call.getArgSVal(I).getAsRegion();
		if (!R || !T->isPointerType() || !T->getPointeeType()->isPointerType())
			continue;
		if (structPtr(T->getPointeeType()) && !countedPtr(T->getPointeeType())) {
			St = foundNode(St, objectOf(St->getSVal(R, T->getPointeeType())), FD, D);
			continue;
		}
		if (!(countedPtr(T->getPointeeType()) || T->getPointeeType()->isVoidPointerType()))
			continue;
		SymbolRef S = objectOf(St->getSVal(R, T->getPointeeType()));
		if (!S || St->get<RefMap>(S))
			continue;
		if (D == Doc::Gives) {
			St = St->set<RefMap>(S, RefState::make(RefState::Owned, Call.getOriginExpr()));
			QualType RT = FD->getReturnType();
			// (An unsigned status type, a TSS2_RC or a status_t, cannot
			// be negative: zero is its success.)
			std::string TN = StringRef(RT.getAsString()).lower();
			bool Unsigned = !RT->isBooleanType() && RT->isUnsignedIntegerType() &&
					(StringRef(TN).endswith("rc") || StringRef(TN).endswith("rc_t") ||
					 TN.find("status") != std::string::npos || TN.find("err") != std::string::npos ||
					 TN.find("result") != std::string::npos);
			if (SymbolRef Status = Call.getReturnValue().getAsSymbol();
			    Status && (RT->isBooleanType() || RT->isSignedIntegerType() || Unsigned))
				St = St->set<OutStatus>(S, OutCall{Status, Unsigned || statesSuccess(FD)});
		} else
			St = setBorrowed(St, S, Call.getOriginExpr(), D == Doc::Borrows);
	}
	return St;
}

void KrefChecker::checkPostCall(const CallEvent &Call, CheckerContext &C) const
{
	const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
	const Expr *E = Call.getOriginExpr();
	if (!FD || !FD->getIdentifier() || !E)
		return;
	ProgramStateRef St = C.getState();
	if (definedInMainFile(FD, C)) {
		// A getter of its own documented to return no reference, whose
		// body calls nothing (it reads a field): borrowed, by its word.
		SymbolRef S = objectOf(Call.getReturnValue());
		if (S && !St->get<RefMap>(S) && countedPtr(Call.getResultType()) && docOf(FD) == Doc::Borrows &&
		    !callsAnything(FD->getBody()))
			C.addTransition(setBorrowed(St, S, E, true));
		return;
	}
	StringRef Name = FD->getName();
	if (Call.getNumArgs() &&
	    (Name.startswith("del_timer") || Name.startswith("timer_delete") ||
	     Name.startswith("try_to_del_timer") || Name.startswith("cancel_work") ||
	     Name.startswith("cancel_delayed_work"))) {
		// True: the callback will not run, its reference is the caller's.
		SymbolRef S = objectOf(Call.getArgSVal(0));
		auto Ret = Call.getReturnValue().getAs<DefinedOrUnknownSVal>();
		if (!S || !Ret)
			return;
		auto [NonZero, Zero] = St->assume(*Ret);
		if (NonZero)
			C.addTransition(gain(NonZero, S, E));
		if (Zero)
			C.addTransition(Zero);
		return;
	}
	int K = keptArg(Call, FD);
	if (K >= 0 && (unsigned)K < Call.getNumArgs()) {
		SymbolRef S = objectOf(Call.getArgSVal(K));
		const RefState *R = S ? St->get<RefMap>(S) : nullptr;
		auto Ret = Call.getReturnValue().getAs<DefinedOrUnknownSVal>();
		// A result the program ignores: it takes the call as keeping.
		int When = resultUsed(E, C.getLocationContext()) ? keptWhen(FD) : -1;
		if (const Duty *D = S ? St->get<DutyMap>(S) : nullptr; D && D->At == E && When >= 0 && Ret) {
			// Not kept (already queued, already pending): no reference owed.
			auto [KeptIf, NotIf] = keptOrNot(St, *Ret, When, C);
			if (KeptIf)
				C.addTransition(KeptIf);
			if (NotIf)
				C.addTransition(NotIf->remove<DutyMap>(S));
			return;
		}
		if (!R || R->K != RefState::Owned)
			return;
		ProgramStateRef Kept = handOff(St, S, E, "", C);
		if (When < 0 || !Ret) {
			// Made on this path (not a pointer it got a reference on), its
			// one reference kept whatever the call returns.
			if (R->Base == RefState::Released && Kept->get<GivenAway>(S) &&
			    !resultUsed(E, C.getLocationContext()))
				Kept = Kept->add<MadeAndGiven>(S);
			C.addTransition(Kept);
			return;
		}
		if (ProgramStateRef KeptIf = keptOrNot(Kept, *Ret, When, C).first)
			C.addTransition(KeptIf);
		if (ProgramStateRef NotIf = keptOrNot(St, *Ret, When, C).second)
			C.addTransition(NotIf);
		return;
	}
	Doc D = docOf(FD);
	St = outReferences(Call, D, St);
	if (!Call.getResultType()->isPointerType()) {
		C.addTransition(St);
		return;
	}
	SymbolRef S = Call.getReturnValue().getAsSymbol();
	if (!S)
		S = objectOf(Call.getReturnValue());
	if (!S || St->get<RefMap>(S)) {
		C.addTransition(St);
		return;
	}
	StringRef N = FD->getName();
	bool Lookup = lookupName(N);
	bool Counted = countedPtr(Call.getResultType()) || Call.getResultType()->isVoidPointerType();
	if (!Counted) {
		if (structPtr(Call.getResultType()) && !makesName(N))
			St = foundNode(St, S, FD, D);
		C.addTransition(St);
		return;
	}
	if (managedCall(E)) {
		C.addTransition(setBorrowed(St, S, E, true));
		return;
	}
	bool Creates = createsName(N), Makes = makesName(N);
	if (D == Doc::Gives ||
	    (D == Doc::None && (getName(N) || Creates || givesName(N)) &&
	     countedPtr(Call.getResultType()))) {
		RefState O = RefState::make(RefState::Owned, E);
		C.addTransition(St->set<RefMap>(S, O));
	} else if (D == Doc::Borrows ||
		   (D == Doc::None && !Makes &&
		    (Lookup || !St->get<LockStack>().isEmpty() || St->get<RCUDepth>() > 0))) {
		C.addTransition(setBorrowed(St, S, E, D == Doc::Borrows));
	} else {
		C.addTransition(St);
	}
}

void KrefChecker::checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const
{
	const MemRegion *LR = L.getAsRegion();
	// A variable with a cleanup function (__free, g_autoptr) puts what it
	// holds when its function returns (cleanUp); no leak is reported of it.
	// (Written through a cast too: g_steal_pointer's *(void **)pp = NULL.)
	if (const auto *VR = dyn_cast_or_null<VarRegion>(LR);
	    VR && VR->hasStackStorage() && !VR->getDecl()->hasAttr<CleanupAttr>())
		noteCleanupCopy(VR->getDecl(), V, S, C);
	if (const auto *VR = dyn_cast_or_null<VarRegion>(LR ? LR->StripCasts() : nullptr))
		if (const auto *CA = VR->getDecl()->getAttr<CleanupAttr>()) {
			ProgramStateRef St = C.getState();
			// Stolen (set to NULL, or to another value): a copy of its
			// old value owns the reference now.
			if (SymbolRef Old = objectOf(St->getSVal(VR)))
				St = St->remove<CleanupCopy>(Old);
			SymbolRef S = objectOf(V);
			if (const RefState *R = S ? St->get<RefMap>(S) : nullptr; R && R->K == RefState::Owned) {
				RefState O = *R;
				O.Escaped = true;
				St = St->set<RefMap>(S, O);
			}
			if (cleanupPuts(CA->getFunctionDecl(), 2))
				St = S ? St->set<CleanupVars>(VR, S) : St->remove<CleanupVars>(VR);
			C.addTransition(St);
		}
	if (!LR || LR->hasStackStorage())
		return;
	ProgramStateRef St = C.getState();
	// A reference handed back through an out parameter went to the caller.
	if (const auto *SR = dyn_cast<SymbolicRegion>(LR); SR && paramValue(SR->getSymbol()))
		if (SymbolRef Out = objectOf(V)) {
			if (const RefState *R = St->get<RefMap>(Out); R && R->K == RefState::Owned)
				Consumed.insert(R->Where);
			St = St->add<ToCaller>(Out);
		}
	SVal Old = St->getSVal(LR);
	SymbolRef OldS = objectOf(Old), New = objectOf(V);
	// A null stored into a slot (table[d->minor] = NULL), a field or a
	// global: what it held, and what the slot's index names, taken out.
	if (V.isZeroConstant() && (isa<FieldRegion>(LR) || isa<ElementRegion>(LR) || isa<NonParamVarRegion>(LR))) {
		if (OldS)
			St = St->add<Unlinked>(OldS);
		if (const auto *B = dyn_cast_or_null<BinaryOperator>(S))
			if (const auto *A = dyn_cast<ArraySubscriptExpr>(bare(B->getLHS())))
				St = unlinkNamed(St, A->getIdx(), C.getLocationContext());
	}
	// A pointer stored with no get yet, overwritten where it was stored:
	// no reference is owed for it (nor put).
	bool Unpaid = false;
	if (const Duty *D = OldS && OldS != New ? St->get<DutyMap>(OldS) : nullptr;
	    D && D->K == Duty::NeedGet && D->Field == LR) {
		St = St->remove<DutyMap>(OldS);
		Unpaid = true;
	}
	if (OldS && OldS != New && copiedFrom(OldS) == LR) {
		St = swappedOut(St->add<TakenOut>(OldS), OldS, S);
	} else if (const Decl *Slot = OldS && OldS != New && !isa<FieldRegion>(LR) ? placeOf(LR) : nullptr;
		   Slot && isa<ParmVarDecl>(Slot) && sharedPlace(OldS) == Slot && !St->get<LockStack>().isEmpty()) {
		// *slot replaced under a lock (a plain store with none is a
		// helper's, g_clear_pointer's: nothing says the slot is shared).
		St = swappedOut(St, OldS, S);
	}
	auto Keep = [&] {
		if (St != C.getState())
			C.addTransition(St);
	};
	// The container's pointer to a borrowed object overwritten: unlinked.
	if (OldS && OldS != New)
		if (ProgramStateRef U = unlinked(St, OldS, S); U != St) {
			C.addTransition(U);
			return;
		}
	const auto *FR = dyn_cast<FieldRegion>(LR);
	if (!FR)
		return Keep();
	const RefState *NR = New ? St->get<RefMap>(New) : nullptr;
	scanProgram(C.getASTContext());
	// A field holds references when the program puts through it, when a
	// reference is stored in it, or (for a pointer lent to this function or
	// documented as borrowed) when it is a counted pointer in memory that
	// outlives the function.
	bool Holds = CountingFields.count(FR->getDecl()) || (NR && NR->K == RefState::Owned);
	// A pointer found under a lock, stored in an object this path was lent
	// or owns (not a list link), outlives the lock too.
	const RefState *Holder = St->get<RefMap>(objectOf(loc::MemRegionVal(FR)));
	StringRef FN = FR->getDecl()->getName();
	bool Link = FN.endswith("next") || FN.endswith("prev") || FN.endswith("link");
	// Copied from another object's field that holds references, or from a
	// global, still there (not taken out first): that memory's reference,
	// none for this field, unless the field says it holds none.
	const MemRegion *From = NR || !New ? nullptr : copiedFrom(New);
	bool Copied = From && !St->contains<TakenOut>(New) &&
		      From->getBaseRegion() != FR->getBaseRegion() && !Link &&
		      countedPtr(FR->getDecl()->getType()) && !St->isNull(V).isConstrainedTrue() &&
		      (Holds || (!weakField(FR->getDecl()) &&
				 (!isa<FieldRegion>(From) ||
				  CountingFields.count(cast<FieldRegion>(From)->getDecl()) ||
				  (cast<FieldRegion>(From)->getDecl() == FR->getDecl() && !ownerName(FN)))));
	bool Lasting = countedPtr(FR->getDecl()->getType()) && NR &&
		       ((NR->K == RefState::Borrowed && NR->Documented) ||
			(NR->K == RefState::Borrowed && NR->Lock && Holder && !Link &&
			 (Holder->K == RefState::Param || Holder->K == RefState::Owned)) ||
			(NR->K == RefState::Param &&
			 (isa<HeapSpaceRegion>(FR->getMemorySpace()) ||
			  (Holder && Holder->K == RefState::Owned && Holder->Base == RefState::Released &&
			   !ownerName(FN)))));
	// rule 1: the one reference went to a call that keeps it; the field
	// has none.
	const Stmt *const *Given = New && !NR && St->contains<MadeAndGiven>(New) ? St->get<GivenAway>(New) : nullptr;
	if (const auto *CE = Given ? dyn_cast<CallExpr>(*Given) : nullptr;
	    CE && !Link && !weakField(FR->getDecl())) {
		report(Rule1,
		       "rule 1: stores " + describe(New) + " in '" + fieldName(FR) +
			       "' after handing its one reference to " + calleeName(CE).str() +
			       "(): the field holds none; take a reference for it",
		       St->remove<GivenAway>(New), C, *Given, "handed on here");
		return;
	}
	// A managed result kept in managed memory: the device owns both.
	if (NR && managedCall(NR->Where) && Holder && managedCall(Holder->Where))
		return Keep();
	if (!Holds && !Lasting && !Copied)
		return Keep();
	std::string Field = "'" + fieldName(FR) + "'";

	// rule 2: the field's reference is overwritten while still held.
	bool Owes = false;
	if (Holds && OldS && OldS != New && !Unpaid) {
		const RefState *OR = St->get<RefMap>(OldS);
		// Known set: tested, or read by this path before (a function that
		// uses the field's value knows it is there, unlike an init).
		bool Set = St->isNull(Old).isConstrainedFalse() ||
			   (stillRead(St, FR, OldS) && !St->isNull(Old).isConstrainedTrue() &&
			    !St->get<DutyMap>(OldS) && !madeFrom(New, FR));
		if (Set && (!OR || OR->K != RefState::Released)) {
			St = St->set<DutyMap>(OldS, Duty{Duty::NeedPut, S, FR, true, nullptr, false});
			Owes = true;
		}
	}
	// rule 1: the field will hold a reference; this path must take it.
	if (Copied || (NR && (NR->K == RefState::Param || NR->K == RefState::Borrowed))) {
		St = St->set<DutyMap>(New, Duty{Duty::NeedGet, S, FR, Holds, Copied ? From : nullptr, false});
		Owes = true;
	} else if (NR) {
		St = handOff(St, New, S, Field, C);
		if (const RefState *R = St->get<RefMap>(New); R && R->K == RefState::Owned && R->N > 0)
			St = St->add<HandedByBind>(New)->add<StoredOnce>(New);
		// A list link or a weak field: whether it holds a reference is not known.
		if (Link || weakField(FR->getDecl()))
			St = St->remove<GivenAway>(New);
		// A found pointer whose reference the field now holds: the field
		// keeps it alive, whatever lock it was found under.
		if (const RefState *R = St->get<RefMap>(New); R && R->K == RefState::Borrowed)
			St = forget(St, New);
	}
	if (St == C.getState())
		return;
	ExplodedNode *N = C.addTransition(St);
	if (N && Owes)
		DutyNodes.try_emplace(S, N);
}

void KrefChecker::checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const
{
	ProgramStateRef St = cleanUp(C.getState(), RS, C);
	if (St != C.getState())
		C.addTransition(St);
	if (!C.inTopFrame())
		return;
	reportUsesAfterContainerPut(St, C, nullptr);
	// A reference taken on what an out parameter holds went to the caller.
	for (auto &KV : St->get<RefMap>())
		if (KV.second.K == RefState::Owned && KV.second.N > 0 &&
		    St->contains<ToCaller>(KV.first))
			Consumed.insert(KV.second.Where);
	// A reference left over after another was stored in a field: the
	// object lives on through that field, its leak is reported here.
	SymbolRef Ret = RS && RS->getRetValue() ? objectOf(C.getSVal(RS->getRetValue())) : nullptr;
	for (auto &KV : St->get<RefMap>())
		if (KV.first != Ret && KV.second.K == RefState::Owned && KV.second.N > 0 &&
		    !KV.second.Escaped && St->contains<StoredOnce>(KV.first))
			report(Rule2Leak, "rule 2: the reference to " + describe(KV.first) + " is never put on this path",
			       St, C, KV.second.Where, "the reference was taken here");
	for (auto &KV : St->get<DutyMap>()) {
		// A copy whose source no longer holds it, with its reference not
		// put on this path, was moved.
		if (KV.second.From && St->contains<TakenOut>(KV.first)) {
			const RefState *R = St->get<RefMap>(KV.first);
			if (!R || R->K != RefState::Released)
				continue;
		}
		const ExplodedNode *N = nodeAt(C.getPredecessor(), KV.second.At);
		if (!N)
			N = DutyNodes.lookup(KV.second.At);
		if (!N)
			continue;
		std::string Field = fieldName(KV.second.Field);
		const auto *CE = dyn_cast<CallExpr>(KV.second.At);
		std::string Msg =
			CE && !KV.second.Field
				? "rule 1: hands " + describe(KV.first) + " to " + calleeName(CE).str() +
					  "(), which keeps it, and no reference is taken for it on this path"
			: KV.second.K == Duty::NeedGet
				? "rule 1: stores " + describe(KV.first) + " in '" + Field +
					  (KV.second.Holds
						   ? "', which holds references,"
						   : "', a counted pointer in memory that outlives the function,") +
					  " and no reference is taken for it on this path"
				: "rule 2: overwrites '" + Field +
					  "', which holds a reference, and the reference it held is never put on this path";
		C.emitReport(std::make_unique<PathSensitiveBugReport>(
			KV.second.K == Duty::NeedGet ? Rule1 : Rule2, Msg,
			KV.second.K == Duty::NeedGet ? callerOwes(N, KV.second.At, KV.first) : N));
	}
}

void KrefChecker::checkLocation(SVal L, bool IsLoad, const Stmt *S, CheckerContext &C) const
{
	const MemRegion *R = L.getAsRegion();
	if (!R)
		return;
	const auto *FR = dyn_cast<FieldRegion>(R);
	SymbolRef Obj = objectOf(L);
	if (!Obj || !FR || !counted(FR->getDecl()->getParent()))
		return;
	ProgramStateRef St = C.getState();
	const RefState *RS = St->get<RefMap>(Obj);
	if (!RS) {
		// Used with no reference, found with no lock: paired with the puts
		// at the end of the translation unit, as a get would be.
		if (const Stmt *const *Load = St->get<FoundBare>(Obj); Load && BareNoted.insert(*Load).second)
			BareGets.push_back({FR->getDecl()->getParent(), LoadHome.lookup(*Load), *Load, S,
					    C.getLocationContext()->getDecl(), topDecl(C), false, true});
		return;
	}
	std::string Name = describe(Obj);
	if (RS->K == RefState::Released && RS->Weak && St->contains<ContainerPut>(Obj) && S) {
		if (!St->get<UsedAfterContainerPut>(Obj))
			if (ExplodedNode *N = C.addTransition(St->set<UsedAfterContainerPut>(Obj, S)))
				UseNodes.try_emplace(S, N);
	} else if (RS->K == RefState::Released && !St->contains<Drained>(Obj)) {
		report(Rule2, "rule 2: uses " + Name + " after putting the reference this path had", St,
		       C, RS->Where, "the reference was put here");
		C.addTransition(forget(St, Obj));
	} else if (RS->K == RefState::Borrowed && lockDropped(St, Obj, RS)) {
		report(Rule3,
		       "rule 3: uses " + Name + " after unlocking " + lockName(RS->Lock) +
			       ", the lock it was found under, with no reference taken",
		       St, C, RS->Where, "found here, under the lock");
		C.addTransition(forget(St, Obj));
	} else if (RS->K == RefState::Borrowed && !RS->Lock && RS->RCU && St->get<RCUDepth>() == 0) {
		report(Rule3,
		       "rule 3: uses " + Name +
			       " after rcu_read_unlock, found in the RCU section with no reference taken",
		       St, C, RS->Where, "found here, under RCU");
		C.addTransition(forget(St, Obj));
	}
}

/* The innermost block under S (In, the block S is in) that declares V. */
static const CompoundStmt *blockOf(const Stmt *S, const VarDecl *V, const CompoundStmt *In)
{
	if (!S)
		return nullptr;
	if (const auto *DS = dyn_cast<DeclStmt>(S))
		for (const Decl *D : DS->decls())
			if (D == V)
				return In;
	if (const auto *CS = dyn_cast<CompoundStmt>(S))
		In = CS;
	for (const Stmt *Child : S->children())
		if (const CompoundStmt *B = blockOf(Child, V, In))
			return B;
	return nullptr;
}

/* S copies a variable whose cleanup function puts (__free, g_autoptr)
 * into Dst, declared outside that variable's block, with no reference:
 * the cleanup puts it when the block ends, while Dst still holds it. */
void KrefChecker::noteCleanupCopy(const VarDecl *Dst, SVal V, const Stmt *S, CheckerContext &C) const
{
	const Expr *RHS = nullptr;
	if (const auto *BO = dyn_cast_or_null<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign)
		RHS = BO->getRHS();
	else if (const auto *DS = dyn_cast_or_null<DeclStmt>(S); DS && DS->isSingleDecl())
		if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
			RHS = VD->getInit();
	const auto *DR = RHS ? dyn_cast<DeclRefExpr>(RHS->IgnoreParenImpCasts()) : nullptr;
	const auto *Src = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
	const CleanupAttr *CA = Src ? Src->getAttr<CleanupAttr>() : nullptr;
	SymbolRef Sym = objectOf(V);
	const Stmt *Body = C.getLocationContext()->getDecl()->getBody();
	if (!CA || !Sym || !countedPtr(Src->getType()) || !cleanupPuts(CA->getFunctionDecl(), 2) || !Body)
		return;
	const CompoundStmt *Block = blockOf(Body, Src, nullptr);
	const RefState *R = C.getState()->get<RefMap>(Sym);
	if (!Block || Block == Body || blockOf(Block, Dst, nullptr) || (R && R->K == RefState::Owned && R->N > 1))
		return;
	CopyEnds[S] = {Block->getRBracLoc(), Src};
	C.addTransition(C.getState()->set<CleanupCopy>(Sym, S));
}

/* Sym, a CleanupCopy, used at Use: after the block its variable's cleanup
 * ended, a use of what that cleanup put. */
ProgramStateRef KrefChecker::usedAfterBlock(ProgramStateRef St, SymbolRef Sym, const Stmt *Use,
					    CheckerContext &C, bool Got) const
{
	const Stmt *const *Copy = St->get<CleanupCopy>(Sym);
	if (!Copy)
		return St;
	auto [End, Src] = CopyEnds.lookup(*Copy);
	const Stmt *At = outOfWrapper(Use, C).first;
	if (!C.getSourceManager().isBeforeInTranslationUnit(End, At->getBeginLoc()))
		return Got ? St->remove<CleanupCopy>(Sym) : St;	// a get in the block: the copy's own
	reportAt(Rule2,
		 "rule 2: copies '" + Src->getName().str() +
			 "' out of its block with no reference, then uses the copy after that block "
			 "ended: the cleanup of '" + Src->getName().str() +
			 "' put the reference there; take one for the copy, or steal it (no_free_ptr, "
			 "g_steal_pointer)",
		 *Copy, At, "used here, after the block", C);
	return St->remove<CleanupCopy>(Sym);
}

/* A call given a copy of a cleanup variable after its block; or a pointer
 * loaded from a field, global or slot, given to a call with no lock held and
 * no reference: noted for swapRaces() if the path never gets it. */
void KrefChecker::checkPreStmt(const CallExpr *CE, CheckerContext &C) const
{
	ProgramStateRef St = C.getState();
	scanProgram(C.getASTContext());
	for (const Expr *A : CE->arguments())
		if (SymbolRef Obj = C.getSVal(A).getAsSymbol())
			St = usedAfterBlock(St, Obj, CE, C);
	const FunctionDecl *Callee = CE->getDirectCallee();
	bool Plain = Callee && !Wrappers.count(Callee->getCanonicalDecl()) && Callee->getIdentifier() &&
		     !Callee->getName().startswith("kref_");
	for (unsigned I = 0; I < CE->getNumArgs(); I++) {
		// (Past the named parameters, as printf's: printed, not used.)
		if (!Plain || !St->get<LockStack>().isEmpty() || St->get<RCUDepth>() != 0 ||
		    I >= Callee->getNumParams())
			break;
		const Expr *A = CE->getArg(I);
		SymbolRef Obj = C.getSVal(A).getAsSymbol();
		QualType Ty = A->IgnoreParenImpCasts()->getType();
		const RecordDecl *T = Obj && countedPtr(Ty) ? Ty->getPointeeType()->getAsRecordDecl() : nullptr;
		const RefState *RS = Obj ? St->get<RefMap>(Obj) : nullptr;
		if (!T || (RS && RS->K != RefState::Borrowed) || St->get<SharedUse>(Obj))
			continue;
		if (const Decl *Where = sharedPlace(Obj)) {
			auto [At, Fn] = outOfWrapper(CE, C);
			SharedUses.try_emplace(At, SwapGet{T, Where, {}, At, Fn, topDecl(C)});
			St = St->set<SharedUse>(Obj, At);
		}
	}
	if (St != C.getState())
		C.addTransition(St);
}

/* The shared structure a pointer is loaded from: the global it is in; the
 * record of the structure a parameter points to; or, loaded from what was
 * found that way (a list's next link), where that was found. */
const Decl *KrefChecker::homeOf(const MemRegion *R, ProgramStateRef St) const
{
	const MemRegion *B = R->getBaseRegion();
	if (const auto *VR = dyn_cast<VarRegion>(B))
		return VR->getDecl()->hasGlobalStorage() ? VR->getDecl() : nullptr;
	const auto *SR = dyn_cast<SymbolicRegion>(B);
	if (!SR)
		return nullptr;
	if (const Stmt *const *Load = St->get<FoundBare>(SR->getSymbol()))
		return LoadHome.lookup(*Load);
	if (!paramValue(SR->getSymbol()))
		return nullptr;
	const FieldDecl *Top = nullptr;
	for (const auto *FR = dyn_cast<FieldRegion>(R); FR;
	     FR = dyn_cast<FieldRegion>(FR->getSuperRegion()))
		Top = FR->getDecl();
	return Top ? Top->getParent() : nullptr;
}

/* A pointer loaded from memory under a lock or RCU is a lookup's result;
 * with neither, from shared memory, it is noted as found bare. */
void KrefChecker::checkPostStmt(const CastExpr *E, CheckerContext &C) const
{
	if (E->getCastKind() != CK_LValueToRValue || !E->getType()->isPointerType())
		return;
	ProgramStateRef St = C.getState();
	const Expr *Sub = E->getSubExpr()->IgnoreParens();
	bool FromMemory = isa<MemberExpr>(Sub) || isa<ArraySubscriptExpr>(Sub) ||
			  isa<UnaryOperator>(Sub);
	if (const auto *DR = dyn_cast<DeclRefExpr>(Sub))
		if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
			FromMemory = VD->hasGlobalStorage();
	if (!FromMemory)
		return;
	SymbolRef S = C.getSVal(E).getAsSymbol();
	if (!S)
		S = objectOf(C.getSVal(E));
	if (!S)
		return;
	if (const auto *FR = dyn_cast_or_null<FieldRegion>(C.getSVal(Sub).getAsRegion());
	    FR && isa<MemberExpr>(Sub) && isa<SymbolRegionValue>(S))
		St = St->set<ReadFields>(FR, S);
	if (St->get<LockStack>().isEmpty() && St->get<RCUDepth>() == 0) {
		// (A field documented to hold a reference, and no lock, keeps what
		// it points to.)
		const MemRegion *From = C.getSVal(Sub).getAsRegion();
		const auto *FF = dyn_cast_or_null<FieldRegion>(From);
		const Decl *Home = From && structPtr(E->getType()) && !St->get<RefMap>(S) &&
						   !(FF && countedField(FF->getDecl()))
					   ? homeOf(From, St)
					   : nullptr;
		if (Home) {
			LoadHome.try_emplace(E, Home);
			St = St->set<FoundBare>(S, E);
		}
		C.addTransition(St);
		return;
	}
	if (structPtr(E->getType()))
		GuardedLoads.insert(E);
	// Loaded again from memory under the lock: found again, safe again.
	if (const RefState *R = St->get<RefMap>(S)) {
		if (R->K == RefState::Borrowed && St->contains<Unlocked>(S))
			St = setBorrowed(St, S, E, R->Documented);
		C.addTransition(St);
		return;
	}
	C.addTransition(setBorrowed(St, S, E, false));
}

/* A compare-and-swap or an exchange: the old value swapped out of p.
 * __atomic_load_n(&p, ...): the value of p, a lookup's result under a lock
 * or RCU. */
void KrefChecker::checkPostStmt(const AtomicExpr *E, CheckerContext &C) const
{
	ProgramStateRef St = C.getState();
	// A compare-and-swap replaces the value its caller expected to find
	// (which the analyzer makes up anew in the expected variable); an
	// exchange returns the value it replaced.
	bool Exchange = E->getOp() == AtomicExpr::AO__atomic_exchange_n ||
			E->getOp() == AtomicExpr::AO__c11_atomic_exchange;
	if (casOp(E) || Exchange) {
		// (The analyzer gives an exchange no value: one is made up for it.)
		if (Exchange && C.getSVal(E).isUnknown() && E->getType()->isPointerType())
			St = St->BindExpr(E, C.getLocationContext(),
					  C.getSValBuilder().conjureSymbolVal(nullptr, E, C.getLocationContext(),
									     E->getType(), C.blockCount()));
		const MemRegion *Exp = Exchange ? nullptr : C.getSVal(E->getVal1()).getAsRegion();
		SymbolRef Old = Exchange ? objectOf(St->getSVal(E, C.getLocationContext()))
				: Exp	 ? objectOf(St->getSVal(Exp))
					 : nullptr;
		if (const Decl *X = placeOfAddress(E->getPtr()); X && Old && sharedPlace(Old) == X) {
			St = swappedOut(St, Old, E);
		}
		C.addTransition(St);
		return;
	}
	if (E->getOp() != AtomicExpr::AO__atomic_load_n && E->getOp() != AtomicExpr::AO__c11_atomic_load)
		return;
	const MemRegion *R = C.getSVal(E->getPtr()).getAsRegion();
	if (!R || !E->getType()->isPointerType())
		return;
	SVal V = St->getSVal(R, E->getType());
	St = St->BindExpr(E, C.getLocationContext(), V);
	SymbolRef S = objectOf(V);
	if (S && !St->get<RefMap>(S) && (!St->get<LockStack>().isEmpty() || St->get<RCUDepth>() > 0))
		St = setBorrowed(St, S, E, false);
	C.addTransition(St);
}

void KrefChecker::checkPreStmt(const ReturnStmt *RS, CheckerContext &C) const
{
	const Expr *E = RS->getRetValue();
	if (!E)
		return;
	ProgramStateRef St = C.getState();
	SymbolRef S = objectOf(C.getSVal(E));
	const RefState *R = S ? St->get<RefMap>(S) : nullptr;
	if (!R) {
		if (S)
			givenAndReturned(S, E->getType(), C);
		return;
	}
	if (R->K == RefState::Borrowed && lockDropped(St, S, R) &&
	    countedPtr(E->IgnoreParenCasts()->getType())) {
		report(Rule3,
		       "rule 3: returns " + describe(S) + " after unlocking " + lockName(R->Lock) +
			       ", the lock it was found under, with no reference taken",
		       St, C, R->Where, "found here, under the lock");
		return;
	}
	if (C.inTopFrame() && R->K == RefState::Owned) {
		Consumed.insert(R->Where);	// returned to the caller
		C.addTransition(forget(St, S));
	} else if (const StackFrameContext *SF = C.getStackFrame();
		   R->K == RefState::Owned && R->N > 0 && getsHere(R->Where, C) &&
		   isGet(R->Where) && resultUsed(SF->getCallSite(), SF->getParent())) {
		// A getter that returns what it got (even of a field, or of memory
		// that stays) gives one reference to its caller, whose it is to put;
		// any other is held elsewhere, which keeps the object after that put.
		// (What it created may have gone to a keeper: not this.)
		RefState O = *R;
		if (R->Escaped || R->N > 1)
			O.Base = RefState::Unknown;
		O.N = 1;
		O.Escaped = false;
		O.Returned = true;
		O.Where = SF->getCallSite();
		C.addTransition(St->set<RefMap>(S, O));
	}
}

/* rule 1: a constructor that gave its object's one reference to a keeper
 * and returns the object as its caller's reference: two holders, one
 * reference. */
void KrefChecker::givenAndReturned(SymbolRef S, QualType T, CheckerContext &C) const
{
	const Stmt *const *At = C.getState()->get<GivenAway>(S);
	const auto *FD = dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
	if (!At || !FD || !FD->getIdentifier() || !C.inTopFrame() ||
	    !(createsName(FD->getName()) || docOf(FD) == Doc::Gives) || tornDownByRelease(T, C))
		return;
	const ExplodedNode *N = nodeAt(C.getPredecessor(), *At);
	if (!N)
		return;
	C.emitReport(std::make_unique<PathSensitiveBugReport>(
		Rule1,
		"rule 1: hands " + describe(S) + " on with the one reference this path has, and " +
			FD->getName().str() + "() returns it too, as its caller's reference: take a reference for one of them",
		N));
}

/* St without the entries of a per-symbol set or map whose symbol died. */
template <typename Trait>
static ProgramStateRef dropDead(ProgramStateRef St, SymbolReaper &SR)
{
	for (const auto &E : St->get<Trait>()) {
		SymbolRef S;
		if constexpr (std::is_same_v<std::decay_t<decltype(E)>, SymbolRef>)
			S = E;
		else
			S = E.first;
		if (SR.isDead(S))
			St = St->remove<Trait>(S);
	}
	return St;
}

void KrefChecker::checkLiveSymbols(ProgramStateRef St, SymbolReaper &SR) const
{
	// Read again by the cleanup when the function returns.
	for (auto &KV : St->get<CleanupVars>())
		SR.markLive(KV.second);
}

/* St after the cleanups of the returning function's variables: the put of
 * what each holds (a second put is reported by put()), or, when the path
 * handed its one reference to a call that keeps it, a rule 1 report. */
ProgramStateRef KrefChecker::cleanUp(ProgramStateRef St, const ReturnStmt *RS, CheckerContext &C) const
{
	const StackFrameContext *SF = C.getStackFrame();
	const Decl *D = SF->getDecl();
	const Stmt *At = RS ? RS : D ? D->getBody() : nullptr;
	for (auto &KV : St->get<CleanupVars>()) {
		if (cast<VarRegion>(KV.first)->getStackFrame() != SF)
			continue;
		SymbolRef S = KV.second;
		St = St->remove<CleanupVars>(KV.first);
		if (St->get<RefMap>(S)) {
			St = put(St, S, At, C);
		} else if (const Stmt *const *Given = St->get<GivenAway>(S)) {
			const auto *CE = dyn_cast<CallExpr>(*Given);
			report(Rule1,
			       "rule 1: hands " + describe(S) + " to " +
				       (CE ? calleeName(CE).str() + "()" : std::string("a keeper")) +
				       ", which keeps it, with the reference its variable's cleanup puts "
				       "when the function returns: take a reference for it",
			       St, C, *Given, "handed on here");
			St = St->remove<GivenAway>(S);
		}
	}
	return St;
}

void KrefChecker::checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const
{
	ProgramStateRef St = C.getState();
	bool Changed = false;
	reportUsesAfterContainerPut(St, C, &SR);
	for (auto &KV : St->get<RefMap>()) {
		if (!SR.isDead(KV.first))
			continue;
		if (KV.second.K == RefState::Owned && KV.second.N > 0 && !KV.second.Escaped)
			report(Rule2Leak,
			       "rule 2: the reference to " + describe(KV.first) +
				       " is never put on this path",
			       St, C, KV.second.Where, "the reference was taken here", true,
			       !KV.second.Returned &&
				       (KV.second.Base == RefState::Param ||
					KV.second.Base == RefState::Unknown || paramValue(KV.first)));
		St = St->remove<RefMap>(KV.first);
		Changed = true;
	}
	St = dropDead<Forgotten>(St, SR);
	St = dropDead<Unlocked>(St, SR);
	St = dropDead<StoredOnce>(St, SR);
	St = dropDead<FoundBare>(St, SR);
	St = dropDead<GivenAway>(St, SR);
	St = dropDead<MadeAndGiven>(St, SR);
	St = dropDead<OutStatus>(St, SR);
	St = dropDead<CountReadUnder>(St, SR);
	St = dropDead<ToCaller>(St, SR);
	St = dropDead<RegisteredData>(St, SR);
	St = dropDead<CleanupCopy>(St, SR);
	St = dropDead<UsedAfterContainerPut>(St, SR);
	St = dropDead<ContainerPut>(St, SR);
	St = dropDead<Unlinked>(St, SR);
	St = dropDead<Drained>(St, SR);
	for (auto &KV : St->get<SharedUse>())
		if (SR.isDead(KV.first)) {
			if (KV.second)
				UnheldUses.insert(KV.second);
			St = St->remove<SharedUse>(KV.first);
		}
	Changed |= St != C.getState();
	if (Changed)
		C.addTransition(St);
}

ProgramStateRef KrefChecker::checkPointerEscape(ProgramStateRef St,
						const InvalidatedSymbols &Escaped,
						const CallEvent *Call, PointerEscapeKind Kind) const
{
	for (SymbolRef S : Escaped)
		if (const Duty *D = St->get<DutyMap>(S); D && D->K == Duty::NeedPut)
			St = St->remove<DutyMap>(S);
	// A declared function given the object as a pointer to a struct
	// borrows it for the call, unless its name or comment says it keeps it
	// (foo_set_code(foo, c) works on its first argument; bar_set_foo(bar,
	// foo) keeps the second, unless its comment says it keeps no reference)
	// or it takes a callback (which may get it later).
	llvm::SmallPtrSet<SymbolRef, 4> Lent;
	const auto *FD = Call ? dyn_cast_or_null<FunctionDecl>(Call->getDecl()) : nullptr;
	Doc D = FD ? docOf(FD) : Doc::None;
	bool KeepsNone = FD && (keepsNoReference(FD) || takesItsOwn(FD));
	bool Callback = FD && takesCallback(FD) && !takesItsOwn(FD);
	if (FD && FD->getIdentifier() && !FD->hasBody() && Kind == PSK_DirectEscapeOnCall &&
	    D != Doc::Consumes && !Callback)
		for (unsigned I = 0; I < Call->getNumArgs() && I < FD->getNumParams(); I++)
			if (structPtr(FD->getParamDecl(I)->getType()) &&
			    (KeepsNone || !keepsName(FD->getName(), I == 0)))
				if (SymbolRef S = objectOf(Call->getArgSVal(I)))
					Lent.insert(S);
	// A call that keeps its data for later: modelled in checkPostCall.
	if (FD && FD->getIdentifier() && Kind == PSK_DirectEscapeOnCall)
		if (int K = keptArg(*Call, FD); K >= 0 && (unsigned)K < Call->getNumArgs())
			if (SymbolRef S = objectOf(Call->getArgSVal(K)))
				Lent.insert(S);
	for (SymbolRef S : Escaped)
		if (Kind == PSK_EscapeOnBind && St->contains<HandedByBind>(S))
			Lent.insert(S);
	// Reached through memory a declared call is given, after a reference
	// of its own went into that memory: the call may do what it likes with
	// the field's reference, the one this path kept is still its own.
	// (Not when the call is given a variable holding a counted pointer: it
	// may put and clear it, as g_clear_object does.)
	auto GivenVariable = [&] {
		for (unsigned I = 0; I < Call->getNumArgs(); I++)
			if (const auto *VR = dyn_cast_or_null<VarRegion>(Call->getArgSVal(I).getAsRegion());
			    VR && VR->hasStackStorage() && countedPtr(VR->getValueType()))
				return true;
		return false;
	};
	if (FD && (!FD->hasBody() || FD->getName().startswith("kref_")) &&
	    (Kind == PSK_IndirectEscapeOnCall || Kind == PSK_EscapeOutParameters) && D != Doc::Consumes &&
	    !Callback && !GivenVariable())
		for (SymbolRef S : Escaped)
			if (St->contains<StoredOnce>(S))
				Lent.insert(S);
	St = St->remove<HandedByBind>();
	// A field's value given to a call that may put it: no longer known held.
	if (!FD || mayDrop(FD) || (FD->getIdentifier() && Call && keptArg(*Call, FD) >= 0))
		for (auto &KV : St->get<ReadFields>())
			if (Escaped.count(KV.second))
				St = St->remove<ReadFields>(KV.first);
	for (SymbolRef S : Escaped)
		if (const RefState *R = St->get<RefMap>(S);
		    R && R->K == RefState::Owned && !Lent.count(S)) {
			RefState O = *R;
			O.Escaped = true;
			St = St->set<RefMap>(S, O);
		}
	return St;
}

void KrefChecker::checkBeginFunction(CheckerContext &C) const
{
	if (!C.inTopFrame())
		return;
	DutyNodes.clear();
	UseNodes.clear();
	const auto *FD = dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
	if (!FD)
		return;
	ProgramStateRef St = C.getState();
	scanProgram(C.getASTContext());
	if (DataOwnedByRegistration.count(FD->getCanonicalDecl()) && FD->getNumParams()) {
		const ParmVarDecl *P = FD->parameters().back();	// user_data, last
		if (P->getType()->isPointerType())
			if (SymbolRef S = objectOf(St->getSVal(St->getRegion(P, C.getLocationContext()))))
				St = St->add<RegisteredData>(S);
	}
	for (const ParmVarDecl *P : FD->parameters()) {
		if (!countedPtr(P->getType()))
			continue;
		SVal V = St->getSVal(St->getRegion(P, C.getLocationContext()));
		if (SymbolRef S = objectOf(V))
			St = St->set<RefMap>(S, RefState::make(RefState::Param, nullptr));
	}
	C.addTransition(St);
}

void KrefChecker::noteGet(const Stmt *E, const MemRegion *Lock, CheckerContext &C) const
{
	const RecordDecl *T = objectType(E);
	const Decl *L = lockDecl(Lock);
	if (T && L && Noted.insert(E).second)
		Gets.push_back({T, L, E, C.getLocationContext()->getDecl()});
}

void KrefChecker::notePut(const CallEvent &Call, ProgramStateRef St, CheckerContext &C) const
{
	const Stmt *E = Call.getOriginExpr();
	const RecordDecl *T = objectType(E);
	const auto *Rel = Call.getNumArgs() > 1
				  ? dyn_cast_or_null<FunctionDecl>(Call.getArgSVal(1).getAsFunctionDecl())
				  : nullptr;
	if (!T || !Rel)
		return;
	if (SymbolRef Obj = objectOf(Call.getArgSVal(0)))
		if (const Stmt *const *Store = St->get<SwappedOut>(Obj))
			if (const Decl *Where = sharedPlace(Obj)) {
				auto [At, Fn] = outOfWrapper(E, C);
				Swaps.push_back({T, Where, StoreHeld.lookup(*Store), *Store, At, Fn, topDecl(C)});
			}
	PutSite P{T, {}, {}, Rel, E, C.getLocationContext()->getDecl()};
	for (const MemRegion *R : St->get<LockStack>())
		if (const Decl *D = lockDecl(R))
			(St->contains<ReadLocks>(R) ? P.ReadHeld : P.Held).push_back(D);
	if (Call.getNumArgs() > 2)	// kref_put_mutex, kref_put_lock
		if (const Decl *D = lockDecl(Call.getArgExpr(2)))
			P.Held.push_back(D);
	// A lock held on any path to the put counts (a caller two calls up
	// may take it): the race is reported only where no path holds it.
	auto [It, New] = PutIndex.try_emplace(E, Puts.size());
	if (New)
		Puts.push_back(P);
	else
		for (auto [Into, From] : {std::pair{&Puts[It->second].Held, &P.Held},
					  std::pair{&Puts[It->second].ReadHeld, &P.ReadHeld}})
			for (const Decl *D : *From)
				if (!llvm::is_contained(*Into, D))
					Into->push_back(D);
}

static void releaseFacts(const FunctionDecl *F, ReleaseFacts &Out, int Depth)
{
	const FunctionDecl *Def = nullptr;
	if (!F || Depth > 2 || !F->hasBody(Def))
		return;
	struct V : RecursiveASTVisitor<V> {
		ReleaseFacts &Out;
		int Depth;
		V(ReleaseFacts &Out, int Depth) : Out(Out), Depth(Depth) {}
		void write(const Expr *E)
		{
			if (const auto *M = dyn_cast<MemberExpr>(bare(E)))
				Out.Writes.insert(M->getMemberDecl());
		}
		bool VisitBinaryOperator(BinaryOperator *B)
		{
			if (B->isAssignmentOp()) {
				write(B->getLHS());
				// A store into memory (a link, a slot): taking it out of
				// what holds it, by hand.
				const Expr *L = bare(B->getLHS());
				bool Through = isa<ArraySubscriptExpr>(L) ||
					       (isa<UnaryOperator>(L) &&
						cast<UnaryOperator>(L)->getOpcode() == UO_Deref);
				if (const auto *M = dyn_cast<MemberExpr>(L))
					if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
						Out.StoredIn.insert(F->getParent()->getCanonicalDecl());
				Out.StoresThrough |= Through;
				Out.Unlinks |= Through || isa<MemberExpr>(L);
			}
			return true;
		}
		bool VisitUnaryOperator(UnaryOperator *U)
		{
			if (U->isIncrementDecrementOp())
				write(U->getSubExpr());
			return true;
		}
		bool VisitMemberExpr(MemberExpr *M)
		{
			if (const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl()))
				Out.Touched.insert(FD->getParent());
			return true;
		}
		bool VisitDeclRefExpr(DeclRefExpr *D)
		{
			if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()); VD && VD->hasGlobalStorage())
				Out.Touched.insert(VD);
			return true;
		}
		bool VisitCallExpr(CallExpr *CE)
		{
			const FunctionDecl *FD = CE->getDirectCallee();
			if (!FD || !FD->getIdentifier())
				return true;
			bool Ptr = CE->getNumArgs() && CE->getArg(0)->getType()->isPointerType();
			Api A = lockApi(FD->getName(), Ptr);
			StringRef N = FD->getName();
			if (N.contains("call_rcu") || N.contains("free_rcu") || N.contains("synchronize_rcu"))
				Out.AfterGrace = true;
			if (unlinkName(N))
				Out.Unlinks = Out.UnlinkCall = true;
			if (A == Api::Lock || A == Api::Unlock) {
				if (const Decl *D = lockDecl(CE->getArg(0)))
					Out.Locks.insert(D);
			} else if (FD->hasBody() &&
				   FD->getASTContext().getSourceManager().isInMainFile(FD->getLocation())) {
				releaseFacts(FD, Out, Depth + 1);
			} else if (teardownName(FD->getName()) &&
				   (!FD->getASTContext().getSourceManager().isInMainFile(FD->getLocation()) ||
				    registrationName(FD->getName()))) {
				// (A function the file declares itself must also name
				// what it stops: namecache_remove() stops nothing.)
				Out.Teardown = true;
			}
			return true;
		}
	} Visitor(Out, Depth);
	Visitor.TraverseStmt(Def->getBody());
}

const ReleaseFacts &KrefChecker::factsOf(const FunctionDecl *F) const
{
	auto It = Facts.find(F);
	if (It == Facts.end()) {
		It = Facts.emplace(F, ReleaseFacts()).first;
		releaseFacts(F, It->second, 0);
	}
	return It->second;
}

/* The release of the object got at E frees it after an RCU grace period. */
bool KrefChecker::freedAfterGrace(const Stmt *E, CheckerContext &C) const
{
	scanProgram(C.getASTContext());
	const RecordDecl *T = objectType(E);
	auto It = T ? Releases.find(T) : Releases.end();
	return It != Releases.end() &&
	       llvm::any_of(It->second, [&](const FunctionDecl *F) { return factsOf(F).AfterGrace; });
}

/* The object's release stops what was registered with it: a registration
 * needs no reference of its own when it cannot outlive the object. */
bool KrefChecker::tornDownByRelease(QualType T, CheckerContext &C) const
{
	scanProgram(C.getASTContext());
	const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
	if (!RD)
		return false;
	auto It = Releases.find(cast<RecordDecl>(RD->getCanonicalDecl()));
	if (It == Releases.end())
		return false;
	for (const FunctionDecl *Rel : It->second)
		if (factsOf(Rel).Teardown)
			return true;
	return false;
}

/* S asserts that a lock is held (lockdep_assert_held, assert_spin_locked). */
static bool assertsHeld(const Stmt *S)
{
	if (!S)
		return false;
	if (const auto *CE = dyn_cast<CallExpr>(S))
		if (StringRef N = calleeName(CE); N.contains("assert_held") ||
						  N.contains("assert_spin_locked") || N.contains("lockdep_assert"))
			return true;
	return llvm::any_of(S->children(), assertsHeld);
}

/* A function documented, or asserted, to run with a lock held. */
static bool lockedByContract(const Decl *D)
{
	const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
	return FD && (commentHas(FD, {"called with", "call with", "must be held", "must hold",
				      "caller holds", "lock held", "locked by the caller",
				      "under the lock", "with the lock"}) ||
		      assertsHeld(FD->getBody()));
}

/* Lock L guards the structure Home: both global, or L a field of it. */
static bool guards(const Decl *L, const Decl *Home)
{
	const RecordDecl *HR = nullptr;
	if (const auto *VD = dyn_cast<VarDecl>(Home)) {
		if (const auto *LV = dyn_cast<VarDecl>(L); LV && LV->hasGlobalStorage())
			return true;
		HR = VD->getType()->getAsRecordDecl();
	} else {
		HR = dyn_cast<RecordDecl>(Home);
	}
	const auto *LF = dyn_cast<FieldDecl>(L);
	return HR && LF && LF->getParent()->getCanonicalDecl() == HR->getCanonicalDecl();
}

static unsigned lineOf(const Stmt *S, const SourceManager &SM)
{
	return SM.getPresumedLineNumber(S->getBeginLoc());
}

/*
 * Rule 3 across functions: a lookup gets an object under lock L, the
 * object's release takes (or drops) L to unlink it, and a plain put
 * elsewhere holds no L.  The count can reach zero there while the lookup,
 * holding L, finds the object and gets it from zero.
 */
void KrefChecker::checkEndOfTranslationUnit(const TranslationUnitDecl *TU, AnalysisManager &Mgr,
					    BugReporter &BR) const
{
	const SourceManager &SM = BR.getSourceManager();
	scanProgram(Mgr.getASTContext());
	for (const PutSite &P : Puts) {
		const ReleaseFacts &F = factsOf(P.Release);
		for (const GetSite &G : Gets) {
			// Held shared at the put, as at the lookup: it serialises nothing
			// if the release takes the object out of what the lookup walks.
			bool Shared = llvm::is_contained(P.ReadHeld, G.Lock) &&
				      !llvm::is_contained(P.Held, G.Lock) && F.Unlinks;
			// A release that takes no lock and takes the object out: by a
			// call named for it, or by a store outside the object (through
			// a link, or into another record) in the structure whose lock
			// the lookup holds (a field of that lock's record, or a global
			// beside a global lock).
			const auto *LF = dyn_cast<FieldDecl>(G.Lock);
			bool Outside = F.StoresThrough || llvm::any_of(F.StoredIn, [&](const Decl *D) {
					       return D != P.Type->getCanonicalDecl();
				       });
			bool Reached = LF ? F.Touched.count(LF->getParent())
					  : llvm::any_of(F.Touched, [](const Decl *D) { return isa<VarDecl>(D); });
			bool Bare = !Shared && F.Locks.empty() && P.Held.empty() &&
				    (F.UnlinkCall || (Outside && Reached));
			if (G.Type != P.Type || llvm::is_contained(P.Held, G.Lock) ||
			    (!F.Locks.count(G.Lock) && !Shared && !Bare))
				continue;
			// The lookup tests a field the release writes (a dead flag):
			// it does not get an object the release has started on.
			auto Test = Tested.find(G.Fn);
			const auto &PW = PutSideWrites[G.Type];
			if (Test != Tested.end() && llvm::any_of(Test->second, [&](const Decl *D) {
				    return F.Writes.count(D) || PW.count(D);
			    }))
				continue;
			std::string L = cast<NamedDecl>(G.Lock)->getName().str();
			std::string T = G.Type->getName().str();
			std::string Rel = P.Release->getName().str() + "()";
			std::string Fix = Shared ? "take '" + L + "' for writing around the put"
						 : "kref_put_mutex/kref_put_lock";
			BR.EmitBasicReport(
				P.Fn, this, "rule 3: serialise lookup and get", "kref",
				"rule 3: puts struct " + T +
					(Shared ? " holding '" + L + "' only for reading, as lookups do, and its release " +
							  Rel + " frees it"
					 : Bare ? " without holding '" + L + "', and its release " + Rel +
							  " unlinks it holding no lock"
						: " without holding '" + L + "', which its release " + Rel +
							  " takes to unlink it") +
					"; the lookup at line " + std::to_string(lineOf(G.At, SM)) +
					" gets it under that lock and can revive it from zero: " + (Shared ? "" : "use ") + Fix +
					", or kref_get_unless_zero there",
				PathDiagnosticLocation::createBegin(P.At, SM, Mgr.getAnalysisDeclContext(P.Fn)));
			BR.EmitBasicReport(
				G.Fn, this, "rule 3: serialise lookup and get", "kref",
				"rule 3: gets struct " + T + " found under '" + L + "', but the put at line " +
					std::to_string(lineOf(P.At, SM)) + " can drop the last reference " +
					(Shared ? "holding that lock only for reading" : "without that lock") +
					": the count may be zero here; use kref_get_unless_zero, or " + Fix + " there",
				PathDiagnosticLocation::createBegin(G.At, SM, Mgr.getAnalysisDeclContext(G.Fn)));
			break;
		}
	}
	swapRaces(Mgr, BR);
	for (const BareGet &G : BareGets) {
		// Found in a release, or where the caller holds a lock: the
		// object is being freed, or the lock serialises it.
		if (!G.Type || !G.Home || GuardedLoads.count(G.Load) || LockedOnEntry.count(G.Top) ||
		    isRelease(G.Top) || isRelease(G.Fn) || lockedByContract(G.Fn) || lockedByContract(G.Top) ||
		    !Reported.insert(G.At).second)
			continue;
		// A use where the function also gets one: the get is the finding.
		if (G.Use && llvm::any_of(BareGets, [&](const BareGet &O) {
			    return !O.Use && O.Fn == G.Fn && O.Type == G.Type;
		    }))
			continue;
		for (const PutSite &P : Puts) {
			// kref_get_unless_zero on memory freed after a grace period:
			// a reader RCU does not mark (QSBR) may be safe.
			if (P.Type != G.Type || (G.Try && factsOf(P.Release).AfterGrace))
				continue;
			const Decl *L = nullptr;
			bool AtPut = false;
			for (const Decl *D : factsOf(P.Release).Locks)
				if (guards(D, G.Home))
					L = D;
			for (const Decl *D : P.Held)
				if (guards(D, G.Home))
					L = D, AtPut = true;
			if (!L)
				continue;
			std::string T = G.Type->getName().str();
			std::string H = isa<RecordDecl>(G.Home)
						? "a struct " + cast<RecordDecl>(G.Home)->getName().str()
						: "'" + cast<NamedDecl>(G.Home)->getName().str() + "'";
			std::string LN = cast<NamedDecl>(L)->getName().str();
			BR.EmitBasicReport(
				G.Fn, this, "rule 3: serialise lookup and get", "kref",
				"rule 3: " + std::string(G.Use ? "uses" : G.Try ? "kref_get_unless_zero on" : "gets") +
					" struct " + T + " found in " + H + " at line " +
					std::to_string(lineOf(G.Load, SM)) + " with no lock held, but " +
					(AtPut ? "the put at line " + std::to_string(lineOf(P.At, SM)) +
							 " drops the last reference under '" + LN + "'"
					       : "its release " + P.Release->getName().str() + "() takes '" + LN +
							 "' to unlink it") +
					": the object can be freed before this " + (G.Use ? "use" : "get") +
					"; find it and get it under '" + LN + "'",
				PathDiagnosticLocation::createBegin(G.At, SM, Mgr.getAnalysisDeclContext(G.Fn)));
			break;
		}
	}
}

/* St with Old taken out of its shared pointer by the store At, and the
 * locks held there (on any path) noted. */
ProgramStateRef KrefChecker::swappedOut(ProgramStateRef St, SymbolRef Old, const Stmt *At) const
{
	auto &H = StoreHeld[At];
	for (const Decl *D : heldLocks(St))
		if (!llvm::is_contained(H, D))
			H.push_back(D);
	return St->set<SwappedOut>(Old, At);
}

/* A report at Site, a statement this path went through (a call in the
 * function analysed that led to E), with a note at E; once per site. */
void KrefChecker::reportAt(const BugType &BT, const std::string &Msg, const Stmt *Site, const Stmt *E,
			   StringRef Note, CheckerContext &C) const
{
	const ExplodedNode *N = nodeAt(C.getPredecessor(), Site);
	if (!N || !Reported.insert(Site).second)
		return;
	auto R = std::make_unique<PathSensitiveBugReport>(BT, Msg, N);
	R->addNote(Note, PathDiagnosticLocation::createBegin(E, C.getSourceManager(), C.getLocationContext()));
	C.emitReport(std::move(R));
}

/* Whether the body of F calls D, directly or through calls of its own. */
static bool calls(const FunctionDecl *F, const Decl *D, int Depth);

/* Whether D is a release function of a counted type (or, with Callees,
 * a function one calls). */
bool KrefChecker::isRelease(const Decl *D, bool Callees) const
{
	return llvm::any_of(Releases, [&](const auto &KV) {
		return llvm::any_of(KV.second, [&](const FunctionDecl *F) {
			return Callees ? calls(F, D, 0) : F->getCanonicalDecl() == D->getCanonicalDecl();
		});
	});
}

static bool calls(const FunctionDecl *F, const Decl *D, int Depth)
{
	const FunctionDecl *Def = nullptr;
	if (!F || Depth > 2 || !F->hasBody(Def))
		return false;
	if (Def->getCanonicalDecl() == D->getCanonicalDecl())
		return true;
	struct V : RecursiveASTVisitor<V> {
		const Decl *D;
		int Depth;
		bool Found = false;
		bool VisitCallExpr(CallExpr *CE)
		{
			Found = Found || calls(CE->getDirectCallee(), D, Depth + 1);
			return !Found;
		}
	} Visit{{}, D, Depth};
	Visit.TraverseStmt(Def->getBody());
	return Visit.Found;
}

/* A shared place, as a message names it. */
static std::string placeName(const Decl *D)
{
	if (const auto *P = dyn_cast<ParmVarDecl>(D))
		return "'*" + P->getName().str() + "'";
	return "'" + cast<NamedDecl>(D)->getName().str() + "'";
}

/*
 * Rule 3 on a shared pointer: one function replaces it and puts the value
 * it held; another loads it and gets that value holding none of the locks
 * the replacing store held, or uses it with no lock and no reference.  The
 * put can free the object between the load and the get or the use.
 */
void KrefChecker::swapRaces(AnalysisManager &Mgr, BugReporter &BR) const
{
	const SourceManager &SM = BR.getSourceManager();
	// In a release, or a function it calls: the object is being freed; or
	// called with a lock held.
	auto PassedOver = [&](const SwapGet &G) {
		return !G.Type || isRelease(G.Top, true) || isRelease(G.Fn, true) || LockedOnEntry.count(G.Top) ||
		       lockedByContract(G.Fn) || lockedByContract(G.Top) || Reported.count(G.At);
	};
	// W replaces what G loaded, in another function (not a release).
	auto Replaces = [&](const Swap &W, const SwapGet &G) {
		return W.Type == G.Type && W.Where == G.Where && W.Fn != G.Fn && W.Fn != G.Top &&
		       !isRelease(W.Fn, true);
	};
	for (const SwapGet &G : SwapGets) {
		if (PassedOver(G))
			continue;
		for (const Swap &W : Swaps) {
			if (!Replaces(W, G) || llvm::any_of(W.Held, [&](const Decl *L) {
				    return llvm::is_contained(G.Held, L);
			    }))
				continue;
			std::string F = placeName(W.Where);
			std::string L = W.Held.empty() ? "" : cast<NamedDecl>(W.Held.front())->getName().str();
			BR.EmitBasicReport(
				G.Fn, this, "rule 3: serialise lookup and get", "kref",
				"rule 3: gets struct " + G.Type->getName().str() + " loaded from " + F +
					(G.Held.empty() ? " with no lock held" : " holding no lock that its replacement holds") +
					", but " + cast<NamedDecl>(W.Fn)->getName().str() + "() replaces " + F +
					" at line " + std::to_string(lineOf(W.Store, SM)) +
					(L.empty() ? "" : " under '" + L + "'") + " and puts the old value at line " +
					std::to_string(lineOf(W.Put, SM)) + ": the object can be freed before this get; " +
					(L.empty() ? "read " + F + " and get under one lock with that replacement"
						   : "read " + F + " and get it under '" + L + "'"),
				PathDiagnosticLocation::createBegin(G.At, SM, Mgr.getAnalysisDeclContext(G.Fn)));
			Reported.insert(G.At);
			break;
		}
	}
	// A use with no lock and no reference, on a path that never gets it,
	// of what another function replaces under a lock and puts.
	for (const Stmt *At : UnheldUses) {
		const SwapGet &U = SharedUses.find(At)->second;
		if (PassedOver(U))
			continue;
		for (const Swap &W : Swaps) {
			if (!Replaces(W, U) || W.Top == U.Top || W.Held.empty())
				continue;
			std::string F = placeName(W.Where);
			std::string L = cast<NamedDecl>(W.Held.front())->getName().str();
			BR.EmitBasicReport(
				U.Fn, this, "rule 3: serialise lookup and get", "kref",
				"rule 3: uses struct " + U.Type->getName().str() + " loaded from " + F +
					" with no lock held and no reference taken, but " +
					cast<NamedDecl>(W.Fn)->getName().str() + "() replaces " + F + " at line " +
					std::to_string(lineOf(W.Store, SM)) + " under '" + L +
					"' and puts the old value at line " + std::to_string(lineOf(W.Put, SM)) +
					": the object can be freed while this uses it; get a reference under '" + L +
					"' and put it when done",
				PathDiagnosticLocation::createBegin(At, SM, Mgr.getAnalysisDeclContext(U.Fn)));
			Reported.insert(At);
			break;
		}
	}
}

/* A field of a borrowed object tested in a branch (a dead flag, a state). */
void KrefChecker::checkBranchCondition(const Stmt *Cond, CheckerContext &C) const
{
	llvm::SmallVector<const Stmt *, 8> Work{Cond};
	while (!Work.empty()) {
		const Stmt *S = Work.pop_back_val();
		if (!S)
			continue;
		if (const auto *M = dyn_cast<MemberExpr>(S))
			if (SymbolRef Obj = objectOf(C.getSVal(M->getBase())))
				if (const RefState *R = C.getState()->get<RefMap>(Obj);
				    R && R->K == RefState::Borrowed)
					Tested[C.getLocationContext()->getDecl()].insert(M->getMemberDecl());
		for (const Stmt *Child : S->children())
			Work.push_back(Child);
	}
}

/* Assuming Cond to be Assumption makes S negative (`err < 0`, `!(err >= 0)`). */
static bool assumesNegative(SVal Cond, bool Assumption, SymbolRef S)
{
	const auto *E = dyn_cast_or_null<SymIntExpr>(Cond.getAsSymbol());
	if (!E || E->getLHS() != S)
		return false;
	int64_t R = E->getRHS().getExtValue();
	switch (E->getOpcode()) {
	case BO_LT:
		return Assumption && R <= 0;
	case BO_LE:
		return Assumption && R < 0;
	case BO_GE:
		return !Assumption && R <= 0;
	case BO_GT:
		return !Assumption && R < 0;
	default:
		return false;
	}
}

/* A pointer known to be null points to no object; a call known to have
 * failed handed back no reference. */
ProgramStateRef KrefChecker::evalAssume(ProgramStateRef St, SVal Cond, bool Assumption) const
{
	ConstraintManager &CM = St->getConstraintManager();
	for (auto &KV : St->get<OutStatus>()) {
		SymbolRef S = KV.second.Status;
		ConditionTruthVal Zero = CM.isNull(St, S);
		bool Failed = assumesNegative(Cond, Assumption, S) ||
			      (KV.second.Stated && (S->getType()->isBooleanType()
							    ? Zero.isConstrainedTrue()
							    : Zero.isConstrainedFalse()));
		if (Failed || !St->get<RefMap>(KV.first))
			St = St->remove<OutStatus>(KV.first);
		if (Failed)
			St = St->remove<RefMap>(KV.first);
	}
	for (auto &KV : St->get<RefMap>())
		if (CM.isNull(St, KV.first).isConstrainedTrue())
			St = St->remove<RefMap>(KV.first);
	for (auto &KV : St->get<DutyMap>())
		if (CM.isNull(St, KV.first).isConstrainedTrue())
			St = St->remove<DutyMap>(KV.first);
	return St;
}

} // namespace

extern "C" void clang_registerCheckers(CheckerRegistry &Registry)
{
	Registry.addChecker<KrefChecker>("libkref.Kref", "The three kref rules, path by path", "");
}

extern "C" const char clang_analyzerAPIVersionString[] = CLANG_ANALYZER_API_VERSION_STRING;
