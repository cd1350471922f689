// SPDX-License-Identifier: MIT
/*
 * names.h - what the analyzer plugin knows of a program's functions from
 * their names, their declarations and the comments above them
 * (names.cpp).  KrefChecker.cpp is the checker that uses it.
 */
#ifndef KREF_ANALYZER_NAMES_H
#define KREF_ANALYZER_NAMES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/MemRegion.h"

namespace kref_analyzer {

/* The calls the checker models instead of letting the analyzer inline them. */
enum class Api { None, Init, Get, TryGet, Put, Lock, Unlock, RcuLock, RcuUnlock, RcuDeref, Free };

/* What the comment above a declaration says it does with a reference. */
enum class Doc { None, Gives, Borrows, Consumes };

/* E without parentheses, casts and a leading &. */
const clang::Expr *bare(const clang::Expr *E);
/* The name of the function a call calls directly, or "". */
llvm::StringRef calleeName(const clang::CallExpr *CE);
/* Whether the lower-cased name contains one of the words. */
bool hasWord(llvm::StringRef N, std::initializer_list<const char *> Words);

/* A function that finds an existing object. */
bool lookupName(llvm::StringRef N);
/* A function that makes a new object, which the caller owns. */
bool createsName(llvm::StringRef N);
/* ... or puts one in place: what it returns was not found under the lock. */
bool makesName(llvm::StringRef N);
/* The kernel's lookups that return a reference (of_find_*, bus_find_device,
 * dev_get_by_*, ...): put with of_node_put, put_device, dev_put. */
bool givesName(llvm::StringRef N);
/* Which argument of such a lookup is the cursor it starts from and puts
 * (of_find_node_by_name(from, ...), of_get_next_child(np, prev)), or -1. */
int cursorArg(llvm::StringRef N, unsigned NumArgs);
/* A function that keeps what it is given: stores, queues, sends it;
 * Subject: said of its first argument, which most calls work on. */
bool keepsName(llvm::StringRef N, bool Subject);
/* foo_put, foo_unref, ...: a put wrapper's name. */
bool putName(llvm::StringRef N);
/* foo_get, foo_ref, foo_hold, ...: a get wrapper's name. */
bool getName(llvm::StringRef N);
/* A name that says what registration it stops (a timer, a watch, a handler). */
bool registrationName(llvm::StringRef N);
/* A call that stops a registration, a timer, a thread. */
bool teardownName(llvm::StringRef N);
/* A call that takes an entry out of a table or list. */
bool unlinkName(llvm::StringRef N);

/* Whether the comment above FD (or a redeclaration) has one of the
 * phrases (lower case). */
bool commentHas(const clang::FunctionDecl *FD, std::initializer_list<const char *> Phrases);
/* A pointer field its declaration says holds no reference (weak,
 * borrowed, not counted, a hint). */
bool weakField(const clang::FieldDecl *FD);
/* A field named for what owns or runs the object (parent, ctx, conn,
 * session, dev...): by convention a back pointer, counted or not. */
bool ownerName(llvm::StringRef N);
/* The comment above FD (or a redeclaration), read for its ownership words. */
Doc docOf(const clang::FunctionDecl *FD);
// The field's comment says it holds a reference, and no lock guards it.
bool countedField(const clang::FieldDecl *FD);
// The sentence of FD's comment that names its parameter I says What.
bool paramSays(const clang::FunctionDecl *FD, unsigned I, llvm::StringRef What);

/* Lock, unlock and RCU calls, by name; PtrArg: the first argument is a pointer. */
Api lockApi(llvm::StringRef N, bool PtrArg);
/* FD's comment states what its result says of success ("on success",
 * "negative errno"): a failed call hands back no reference. */
bool statesSuccess(const clang::FunctionDecl *FD);
/* A function that ends the process: abort(), exit(), a failed assert. */
bool endsProcessName(llvm::StringRef N);
/* A lock function that takes its lock shared, for reading (rdlock, down_read). */
bool readLockName(llvm::StringRef N);
/* A lock's identity across functions: its field, or its variable. */
const clang::Decl *lockDecl(const clang::ento::MemRegion *R);
const clang::Decl *lockDecl(const clang::Expr *E);

/* The argument a call keeps for later (a thread's, a timer's, a work
 * item's, a callback's data), or -1. */
int keptArg(const clang::ento::CallEvent &Call, const clang::FunctionDecl *FD);
/* Which result of such a call means it kept its data: 1 nonzero, 0 zero,
 * 2 not negative (a status or a ticket), -1 always. */
int keptWhen(const clang::FunctionDecl *FD);
/* The parameter a declared function's comment says it will put, unref or
 * free (so keeps until then: "the table unrefs value"), or -1. */
int documentedKept(const clang::FunctionDecl *FD);
/* A declared function whose comment says it takes a reference of its own
 * to what it keeps: the caller's reference stays the caller's. */
bool takesItsOwn(const clang::FunctionDecl *FD);

/* The object type of a kref call: &obj->ref, or a wrapper's obj. */
const clang::RecordDecl *objectType(const clang::Stmt *S);

} // namespace kref_analyzer

#endif
