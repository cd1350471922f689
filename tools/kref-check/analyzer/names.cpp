// SPDX-License-Identifier: MIT
/*
 * names.cpp - what the analyzer plugin knows of a program's functions
 * without running them: the kref API, locks and RCU by name, the
 * program's own get and put wrappers, lookups and constructors by the
 * words in their names, what a comment above a declaration says about
 * the reference it returns, and which calls keep their data for later.
 */
#include "names.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RawCommentList.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;
using namespace ento;

namespace kref_analyzer {

const Expr *bare(const Expr *E)
{
	E = E->IgnoreParenCasts();
	if (const auto *U = dyn_cast<UnaryOperator>(E))
		if (U->getOpcode() == UO_AddrOf)
			E = U->getSubExpr()->IgnoreParenCasts();
	return E;
}

StringRef calleeName(const CallExpr *CE)
{
	if (const FunctionDecl *FD = CE->getDirectCallee())
		if (FD->getIdentifier())
			return FD->getName();
	return "";
}

static bool endsWithWord(StringRef Name, std::initializer_list<StringRef> Words)
{
	for (StringRef W : Words)
		if (Name == W || Name.endswith(("_" + W).str()))
			return true;
	return false;
}

/* The words of a name: split at '_' and where lower case meets upper. */
static llvm::SmallVector<std::string, 8> wordsOf(StringRef N)
{
	llvm::SmallVector<std::string, 8> Out(1);
	for (size_t I = 0; I < N.size(); I++) {
		char Ch = N[I];
		bool Up = Ch >= 'A' && Ch <= 'Z';
		if (Ch == '_' || (Up && I && N[I - 1] >= 'a' && N[I - 1] <= 'z')) {
			if (!Out.back().empty())
				Out.emplace_back();
			if (Ch == '_')
				continue;
		}
		Out.back() += llvm::toLower(Ch);
	}
	return Out;
}

/* Whether a word of the name starts with one of the words (send, sends). */
static bool hasNameWord(StringRef N, std::initializer_list<const char *> Words)
{
	for (const std::string &W : wordsOf(N))
		for (const char *P : Words)
			if (StringRef(W).startswith(P))
				return true;
	return false;
}

bool hasWord(StringRef N, std::initializer_list<const char *> Words)
{
	std::string L = N.lower();
	for (const char *W : Words)
		if (L.find(W) != std::string::npos)
			return true;
	return false;
}

bool lookupName(StringRef N)
{
	return hasWord(N, {"find", "lookup", "search", "load", "first", "next", "peek"});
}

bool createsName(StringRef N)
{
	return hasWord(N, {"new", "create", "alloc", "dup", "clone", "copy"});
}

bool makesName(StringRef N)
{
	return createsName(N) || hasWord(N, {"insert", "add", "make", "open"});
}

bool givesName(StringRef N)
{
	for (const char *P : {"of_find_", "of_parse_phandle", "of_get_child", "of_get_next",
			      "of_get_parent", "of_get_compatible_child", "of_get_cpu_node",
			      "of_graph_get_", "bus_find_device", "class_find_device",
			      "device_find_child", "driver_find_device", "pci_get_", "dev_get_by_",
			      "in_dev_get", "in6_dev_get", "fwnode_get_next", "fwnode_get_parent"})
		if (N.startswith(P))
			return true;
	return false;
}

int cursorArg(StringRef N, unsigned NumArgs)
{
	for (const char *F : {"of_find_node_by_name", "of_find_node_by_type", "of_find_compatible_node",
			      "of_find_matching_node", "of_find_matching_node_and_match",
			      "of_find_node_with_property", "of_get_next_parent", "of_get_next_cpu_node",
			      "fwnode_get_next_parent"})
		if (N == F)
			return 0;
	for (const char *F : {"of_get_next_child", "of_get_next_available_child",
			      "of_get_next_reserved_child", "fwnode_get_next_child_node",
			      "fwnode_get_next_available_child_node"})
		if (N == F)
			return 1;
	if (N == "pci_get_device" || N == "pci_get_subsys" || N == "pci_get_class")
		return NumArgs ? (int)NumArgs - 1 : -1;
	return -1;
}

bool keepsName(StringRef N, bool Subject)
{
	if (hasNameWord(N, {"put", "unref", "release", "free", "destroy", "queue", "send", "submit",
			"schedule", "start", "spawn", "register", "publish", "post", "push", "attach",
			"add", "insert", "give", "steal", "adopt", "own", "async", "defer", "later",
			"idle", "timeout", "timer", "arm", "bind", "move", "connect", "subscribe",
			"install", "reparent", "hold", "take"}))
		return true;
	return !Subject && (makesName(N) || hasNameWord(N, {"set", "store", "append", "link", "assign",
							"track", "watch", "list", "hash", "save",
							"cache", "run"}));
}

bool putName(StringRef N)
{
	std::string L = N.ltrim('_').lower();
	for (const char *Verb : {"unref_", "deref_", "drop_", "dec_"})	// dec_state_ref(s)
		if (StringRef(L).startswith(Verb) && StringRef(L).contains("ref"))
			return true;
	// __put_share_lookup_ref(x), not put_prefix(s, p): "ref" as a word.
	llvm::SmallVector<StringRef, 4> Words;
	StringRef(L).split(Words, '_', -1, false);
	if (StringRef(L).startswith("put_") && llvm::is_contained(Words, "ref"))
		return true;
	for (const char *Known : {"put_device", "put_task_struct", "put_pid", "put_net", "put_disk"})
		if (N == Known)
			return true;
	return endsWithWord(N, {"put", "unref", "deref", "release", "drop", "decref"});
}

bool getName(StringRef N)
{
	return !putName(N) && endsWithWord(N, {"get", "ref", "hold", "grab", "incref", "retain"});
}

/* The comment above FD, lower-cased, on one line, single-spaced; read once
 * per declaration (the checker asks on every call and every escape). */
static const std::string &commentOf(const FunctionDecl *FD)
{
	static llvm::DenseMap<const Decl *, std::string> Seen;
	auto [It, Fresh] = Seen.try_emplace(FD->getCanonicalDecl());
	if (!Fresh)
		return It->second;
	ASTContext &Ctx = FD->getASTContext();
	const RawComment *RC = Ctx.getRawCommentForAnyRedecl(FD);
	std::string T = RC ? llvm::StringRef(RC->getRawText(Ctx.getSourceManager())).lower() : "";
	for (char &Ch : T)
		if (Ch == '\n' || Ch == '\t' || Ch == '*')
			Ch = ' ';
	std::string &S = It->second;
	for (char Ch : T)
		if (!(Ch == ' ' && !S.empty() && S.back() == ' '))
			S += Ch;
	return S;
}

bool commentHas(const FunctionDecl *FD, std::initializer_list<const char *> Phrases)
{
	const std::string &S = commentOf(FD);
	for (const char *P : Phrases)
		if (S.find(P) != std::string::npos)
			return true;
	return false;
}

/* The comment above a field and the rest of its line, lower-cased. */
static std::string fieldComment(const FieldDecl *FD)
{
	ASTContext &Ctx = FD->getASTContext();
	const SourceManager &SM = Ctx.getSourceManager();
	std::string T;
	if (const RawComment *RC = Ctx.getRawCommentForDeclNoCache(FD))
		T = RC->getRawText(SM).str();
	SourceLocation End = SM.getExpansionLoc(FD->getEndLoc());
	if (End.isValid()) {
		bool Bad = false;
		const char *P = SM.getCharacterData(End, &Bad);
		while (!Bad && *P && *P != '\n')
			T += *P++;
	}
	return StringRef(T).lower();
}

bool ownerName(StringRef N)
{
	std::string L = N.lower();
	for (const char *W : {"parent", "owner", "ctx", "context", "conn", "connection", "session", "server",
			      "srv", "loop", "mgr", "manager", "dev", "device", "root", "master", "priv", "self",
			      "base", "host", "core"})
		if (L == W || StringRef(L).endswith(std::string("_") + W))
			return true;
	return false;
}

bool weakField(const FieldDecl *FD)
{
	std::string T = fieldComment(FD);
	for (const char *W : {"weak", "borrowed", "not counted", "uncounted", "no reference",
			      "not referenced", "without a reference", "hint", "back-pointer",
			      "back pointer"})
		if (T.find(W) != std::string::npos)
			return true;
	return false;
}

bool countedField(const FieldDecl *FD)
{
	std::string T = fieldComment(FD);
	if (T.find("lock") != std::string::npos || T.find("protected") != std::string::npos)
		return false;	// swapped under a lock: read without it, a lookup
	for (const char *W : {"holds a reference", "holds a ref", "reference held", "owns a reference",
			      "counted reference", "with a reference"})
		if (T.find(W) != std::string::npos)
			return true;
	return false;
}

/* Whether the clause C names the word W (not inside a longer word). */
static bool namesWord(StringRef C, StringRef W)
{
	for (size_t At = C.find(W); At != StringRef::npos; At = C.find(W, At + 1)) {
		auto Letter = [](char Ch) { return isalnum((unsigned char)Ch) || Ch == '_'; };
		if ((At == 0 || !Letter(C[At - 1])) &&
		    (At + W.size() == C.size() || !Letter(C[At + W.size()])))
			return true;
	}
	return false;
}

static int documentedKeptUncached(const FunctionDecl *FD);

/* Read once per declaration, as commentOf is: asked on every call. */
int documentedKept(const FunctionDecl *FD)
{
	static llvm::DenseMap<const Decl *, int> Seen;
	auto [It, Fresh] = Seen.try_emplace(FD->getCanonicalDecl(), -1);
	if (Fresh)
		It->second = documentedKeptUncached(FD);
	return It->second;
}

static int documentedKeptUncached(const FunctionDecl *FD)
{
	const std::string &S = commentOf(FD);
	if (S.empty())
		return -1;
	// Clause by clause: "the caller still owns msg and puts msg" and "does
	// not take ..." say the opposite; "drops cached glyphs" names no c.
	llvm::SmallVector<StringRef, 4> Clauses;
	for (StringRef Rest = S; !Rest.empty();) {
		size_t End = Rest.find_first_of(".;");
		Clauses.push_back(Rest.substr(0, End));
		Rest = End == StringRef::npos ? StringRef() : Rest.substr(End + 1);
	}
	for (StringRef C : Clauses) {
		if (C.contains("caller") || C.contains(" not ") || C.contains("n't") || C.contains("never"))
			continue;
		for (unsigned I = 0; I < FD->getNumParams(); I++) {
			const ParmVarDecl *P = FD->getParamDecl(I);
			if (!P->getIdentifier() || !P->getType()->isPointerType())
				continue;
			std::string N = P->getName().lower();
			for (const char *Verb : {"unrefs ", "puts ", "releases ", "drops ", "destroys ", "frees ",
						 "takes ownership of ", "takes over "})
				if (namesWord(C, Verb + N))
					return I;
		}
		// "appends data to the queue (the queue's entry owns a reference)",
		// "stores value in the task, which owns it": the last pointer the
		// clause names, kept by what it is put in.
		if (FD->getReturnType()->isPointerType() ||
		    !llvm::any_of(std::initializer_list<const char *>{"owns a reference", "keeps a reference",
								       "owns it", "takes ownership"},
				  [&](const char *Ph) { return C.contains(Ph); }))
			continue;
		for (unsigned I = FD->getNumParams(); I-- > 1;) {
			const ParmVarDecl *P = FD->getParamDecl(I);
			if (P->getIdentifier() && P->getType()->isPointerType() && namesWord(C, P->getName().lower()))
				return I;
		}
	}
	return -1;
}

bool paramSays(const FunctionDecl *FD, unsigned I, StringRef What)
{
	const ParmVarDecl *P = I < FD->getNumParams() ? FD->getParamDecl(I) : nullptr;
	if (!P || !P->getIdentifier())
		return false;
	const std::string &S = commentOf(FD);
	size_t At = S.find(" " + P->getName().lower() + " ");
	if (At == std::string::npos)
		return false;
	StringRef Sentence = StringRef(S).substr(At).split('.').first;
	return Sentence.contains(What);
}

Doc docOf(const FunctionDecl *FD)
{
	const std::string &S = commentOf(FD);
	if (S.empty())
		return Doc::None;
	auto Has = [&](std::initializer_list<const char *> Ps) {
		for (const char *P : Ps)
			if (S.find(P) != std::string::npos)
				return true;
		return false;
	};
	if (Has({"borrowed", "without a reference", "without taking a reference", "no reference",
		 "does not take a reference", "not referenced", "transfer none", "without a ref",
		 "without taking a ref", "does not take a ref", "without incrementing",
		 "does not increment"}))
		return Doc::Borrows;
	if (Has({"consumes", "takes over", "steals", "transfer full) the", "takes ownership",
		 "put prev", "puts prev", "drops prev", "put the previous", "puts the previous"}))
		return Doc::Consumes;
	if (Has({"new reference", "with a reference", "one reference", "a reference on", "with a ref", "refcount incremented",
		 "reference count incremented", "reference held", "holds a reference",
		 "takes a reference", "transfer full", "caller must put", "caller must drop",
		 "caller must release", "caller must unref", "caller owns", "referenced",
		 "with its refcount", "with its reference", "a reference for the caller",
		 "must be put", "must be released", "must be dropped", "when done"}))
		return Doc::Gives;
	return Doc::None;
}

Api lockApi(StringRef N, bool PtrArg)
{
	if (N.contains("rcu") && (N.endswith("read_lock") || N.endswith("read_lock_bh")))
		return Api::RcuLock;
	if (N.contains("rcu") && (N.endswith("read_unlock") || N.endswith("read_unlock_bh")))
		return Api::RcuUnlock;
	if (N.startswith("rcu_dereference") || N.startswith("srcu_dereference") ||
	    N == "rcu_access_pointer")
		return Api::RcuDeref;
	if (!PtrArg || N.contains("trylock"))
		return Api::None;
	if (N.contains("unlock") && !N.endswith("unlocked"))
		return Api::Unlock;
	if (N.endswith("lock") || N.endswith("lock_bh") || N.endswith("lock_irq") ||
	    N.endswith("lock_irqsave") || N.endswith("lock_nested") || N == "down_read" ||
	    N == "down_write" || N == "EnterCriticalSection")
		return Api::Lock;
	if (N == "up_read" || N == "up_write" || N == "LeaveCriticalSection")
		return Api::Unlock;
	return Api::None;
}

bool statesSuccess(const FunctionDecl *FD)
{
	return commentHas(FD, {"success", "succeed", "errno", "error code", "0 on", "zero on"});
}

bool unlinkName(StringRef N)
{
	return hasWord(N, {"unlink", "list_del", "remove", "erase", "detach"});
}

bool endsProcessName(StringRef N)
{
	return N == "abort" || N == "exit" || N == "_exit" || N == "_Exit" || N == "quick_exit" ||
	       N == "__assert_fail" || N == "__assert_rtn" || N == "__assert" || N == "err" ||
	       N == "errx" || N == "verr" || N == "verrx" || N == "panic" || N == "__builtin_trap" ||
	       N.startswith("g_assertion_message");
}

bool readLockName(StringRef N)
{
	llvm::SmallVector<StringRef, 6> W;
	N.split(W, '_', -1, false);
	for (size_t I = 0; I < W.size(); I++)
		if (W[I].endswith("rdlock") ||
		    ((W[I] == "read" || W[I] == "reader") && I + 1 < W.size() && W[I + 1] == "lock"))
			return !N.contains("rcu");
	return N == "down_read";
}

/* struct mutex { pthread_mutex_t m; }: a lock type wrapping another. */
static bool lockWrapper(const RecordDecl *RD)
{
	std::string N = RD->getName().lower();
	if (N.empty() && RD->getTypedefNameForAnonDecl())
		N = RD->getTypedefNameForAnonDecl()->getName().lower();
	return N.find("mutex") != std::string::npos || N.find("lock") != std::string::npos ||
	       N.find("semaphore") != std::string::npos;
}

const Decl *lockDecl(const MemRegion *R)
{
	while (const auto *FR = dyn_cast_or_null<FieldRegion>(R)) {
		if (!lockWrapper(FR->getDecl()->getParent()))
			return FR->getDecl();
		R = FR->getSuperRegion();
	}
	if (const auto *VR = dyn_cast_or_null<VarRegion>(R))
		return VR->getDecl();
	return nullptr;
}

const Decl *lockDecl(const Expr *E)
{
	E = bare(E);
	while (const auto *M = dyn_cast<MemberExpr>(E)) {
		const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
		if (!F || !lockWrapper(F->getParent()))
			return M->getMemberDecl();
		E = bare(M->getBase());
	}
	if (const auto *D = dyn_cast<DeclRefExpr>(E))
		return D->getDecl();
	return nullptr;
}

bool takesItsOwn(const FunctionDecl *FD)
{
	return commentHas(FD, {"takes its own reference", "takes its own ref", "take their own",
			       "takes a reference of its own", "gets its own reference"}) &&
	       !commentHas(FD, {"not take its own", "n't take its own", "takes ownership", "consumes",
				"steals", "takes over"});
}

int keptArg(const CallEvent &Call, const FunctionDecl *FD)
{
	StringRef N = FD->getName();
	if (N == "pthread_create")
		return 3;
	if (N == "thrd_create" || N == "g_thread_new" || N == "g_thread_try_new")
		return 2;
	if (N == "queue_work" || N == "queue_delayed_work" || N == "mod_delayed_work" ||
	    N == "queue_work_on")
		return Call.getNumArgs() - (N == "queue_work" ? 1 : N == "queue_work_on" ? 1 : 2);
	if (N == "schedule_work" || N == "schedule_delayed_work" || N == "mod_timer" ||
	    N == "add_timer" || N == "call_rcu" || N == "tasklet_schedule" || N == "kthread_run" ||
	    N == "kthread_create")
		return N.startswith("kthread") ? 1 : 0;
	// A function the program does not define that takes a callback and a
	// data pointer, and does not run the callback before it returns.
	if (FD->hasBody())
		return -1;
	if (int D = documentedKept(FD); D >= 0)
		return D;
	std::string L = N.lower();
	for (const char *Keeps : {"set_callback", "add_callback", "register_callback"})
		if (size_t P = L.find(Keeps); P != std::string::npos)
			L.replace(P, StringRef(Keeps).size(), "keep");
	for (const char *Sync : {"each", "sort", "search", "find", "walk", "iterate", "visit", "apply",
				 "call", "invoke", "sync", "map"})
		if (L.find(Sync) != std::string::npos && L.find("async") == std::string::npos)
			return -1;
	int Data = -1;
	bool HasFn = false;
	for (unsigned I = 0; I < FD->getNumParams(); I++) {
		QualType T = FD->getParamDecl(I)->getType();
		if (T->isFunctionPointerType())
			HasFn = true;
		else if (T->isVoidPointerType())
			Data = I;
	}
	if (!HasFn)
		return -1;
	if (Data >= 0)
		return Data;
	// An asynchronous call whose callback takes typed pointers: the
	// argument of one of those types is kept for the callback.
	if (!hasWord(N, {"async", "defer", "later", "idle", "timeout"}) ||
	    hasWord(N, {"wait", "poll", "cancel", "remove", "del_", "block"}) || takesItsOwn(FD))
		return -1;
	for (unsigned I = 0; I < FD->getNumParams(); I++) {
		QualType T = FD->getParamDecl(I)->getType();
		const auto *FT = T->isFunctionPointerType() ? T->getPointeeType()->getAs<FunctionProtoType>() : nullptr;
		for (unsigned J = 0; FT && J < FD->getNumParams(); J++) {
			QualType A = FD->getParamDecl(J)->getType();
			if (J != I && A->isPointerType() && A->getPointeeType()->isRecordType() &&
			    llvm::any_of(FT->param_types(), [&](QualType P) {
				    return P->isPointerType() &&
					   P->getPointeeType()->getCanonicalTypeUnqualified() ==
						   A->getPointeeType()->getCanonicalTypeUnqualified();
			    }))
				return J;
		}
	}
	return -1;
}

int keptWhen(const FunctionDecl *FD)
{
	StringRef N = FD->getName();
	if (N == "mod_timer" || N == "pthread_create" || N == "thrd_create")
		return 0;
	// (A function documented to keep its argument says so in its comment;
	// its name says nothing of what its result means.)
	if ((N.contains("queue_") || N.startswith("schedule_")) && (FD->hasBody() || documentedKept(FD) < 0))
		return 1;
	if (FD->hasBody())
		return -1;
	// The program's own: a status (0 when started) or a flag; a handle
	// (an error pointer perhaps, not known here) says nothing.
	QualType RT = FD->getReturnType();
	if (RT->isBooleanType())
		return 1;
	if (RT->isSignedIntegerType())
		return 2;
	return -1;
}

const RecordDecl *objectType(const Stmt *S)
{
	const auto *CE = dyn_cast_or_null<CallExpr>(S);
	if (!CE || !CE->getNumArgs())
		return nullptr;
	const RecordDecl *RD = nullptr;
	if (const auto *M = dyn_cast<MemberExpr>(bare(CE->getArg(0)))) {
		const RecordDecl *FT = M->getMemberDecl()->getType()->getAsRecordDecl();
		if (FT && FT->getName() == "kref") {
			QualType BT = M->getBase()->getType();
			RD = (M->isArrow() ? BT->getPointeeType() : BT)->getAsRecordDecl();
		}
	}
	if (!RD) {
		QualType T = CE->getArg(0)->IgnoreParenCasts()->getType();
		if (T->isPointerType())
			RD = T->getPointeeType()->getAsRecordDecl();
	}
	return RD ? cast<RecordDecl>(RD->getCanonicalDecl()) : nullptr;
}

bool registrationName(StringRef N)
{
	return hasWord(N, {"unregister", "timer", "timeout", "watch", "source", "signal", "handler",
			   "callback", "thread", "work", "listener", "notif", "idle"});
}

bool teardownName(StringRef N)
{
	return hasWord(N, {"remove", "cancel", "stop", "close", "unwatch", "disconnect",
			   "unregister", "detach", "del_timer", "timer_delete", "join"});
}

} // namespace kref_analyzer
