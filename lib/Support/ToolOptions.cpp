//===- ToolOptions.cpp - Command-line errors that say "error:" ------------===//

#include "sxf/Support/ToolOptions.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <string>

void sxf::useErrorProgramName(int argc, char **argv) {
  if (argc < 1 || !argv[0])
    return;
  for (int k = 1; k < argc; ++k) {
    llvm::StringRef a(argv[k]);
    if (a == "--") // what follows is positional
      break;
    a = a.ltrim('-');
    if (a.starts_with("help") || a == "version" || a == "print-options" ||
        a == "print-all-options")
      return;
  }
  static std::string name;
  name = llvm::sys::path::filename(argv[0]).str() + ": error";
  argv[0] = name.data();
}
