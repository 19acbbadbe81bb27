//===- SourceInput.h - .mlir input buffers safe for MLIR's lexer -*- C++ -*-===//
//
// MLIR 22's lexer, on a string literal left open at the very end of its
// buffer (a truncated file ending `key: "0x0400...`), reports "expected '"'
// in string literal" with its cursor one past the buffer's terminator, and
// the parser then keeps lexing memory beyond the buffer: a wrong location at
// best, a crash at worst (found by fuzz-passes, 2026-12-01; reading the file
// with MLIR's own openInputFile does not prevent it). A newline before the
// terminator ends the literal first, inside the buffer. Every tool and
// fuzzer that hands text to MLIR's parser takes it from here.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_SOURCEINPUT_H
#define SXF_SUPPORT_SOURCEINPUT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace sxf {

/// MLIR 22 also allocates a `dense_resource` hex blob with the alignment its
/// first four bytes declare, unchecked: alignment 0 aborts the process
/// ("out of memory"; found by fuzz-passes). Returns "LINE:COL: why" for the
/// first blob in the file-metadata section (`{-# ... #-}`) whose declared
/// alignment is 0, not a power of two or above 65536, else "".
std::string resourceBlobProblem(llvm::StringRef text);

/// Reads `path` ("-": standard input) into a buffer that ends in '\n' (one
/// is appended when the file does not end in one; locations are unchanged).
/// On failure returns null and sets `error` ("cannot open input file 'PATH':
/// why", or "PATH:LINE:COL: ..." for a blob resourceBlobProblem refuses).
std::unique_ptr<llvm::MemoryBuffer> openMlirInput(llvm::StringRef path,
                                                  std::string *error);

/// `text` as such a buffer named `name` (fuzzers, tests).
std::unique_ptr<llvm::MemoryBuffer> mlirSourceBuffer(llvm::StringRef text,
                                                     llvm::StringRef name);

} // namespace sxf

#endif // SXF_SUPPORT_SOURCEINPUT_H
