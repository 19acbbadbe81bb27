//===- ToolOptions.h - Command-line errors that say "error:" -*- C++ -*-===//
//
// llvm::cl reports a bad option value ("--seq=abc", "--rtol=x", a pass option
// such as "microbatches=x" inside "--sxf-tile=...") as
// `PROGRAM: for the --seq option: 'abc' value invalid for long argument!`,
// written straight to stderr with the program name as its only prefix, and
// the tool exits 1. Pass options are parsed by the same machinery, long
// after main could intercept them. The one place every such message goes
// through is that program name, so the tools set it to "TOOL: error" before
// parsing, and every command-line mistake reads
// `TOOL: error: for the --seq option: ...` (the option is the location).
//
// Usage, first thing in main after llvm::InitLLVM:
//   sxf::useErrorProgramName(argc, argv);
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_TOOLOPTIONS_H
#define SXF_SUPPORT_TOOLOPTIONS_H

namespace sxf {

/// Points argv[0] at "TOOL: error" (TOOL = the file name of argv[0]) unless
/// the command line asks for help or the version, whose output prints the
/// program name as the tool's name.
void useErrorProgramName(int argc, char **argv);

} // namespace sxf

#endif // SXF_SUPPORT_TOOLOPTIONS_H
