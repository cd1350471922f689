# SPDX-License-Identifier: MIT
"""kref-check as a package: find code that breaks the three kref rules.

  names     the names the checks know without reading the program
  source    the source model: C text, its functions, macros and structs,
            and the preprocessor as the compiler reads it (TU)
  facts     the program's facts (Program)
  patterns  the Coccinelle patterns, the program's names filled in
  spatch    running spatch (Record, Outcome)
  checker   the checks' common ground and Checker, made of
  rule1, rule2, rule3   one module per rule, beside cocci/ruleN.cocci
  report    text and SARIF (Finding)
  cli       the command line (main)

tools/kref-check/kref-check runs cli.main; see kref-check(1).
"""
