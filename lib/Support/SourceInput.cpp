//===- SourceInput.cpp - .mlir input buffers safe for MLIR's lexer --------===//

#include "sxf/Support/SourceInput.h"

using namespace llvm;

namespace sxf {

std::unique_ptr<MemoryBuffer> mlirSourceBuffer(StringRef text,
                                               StringRef name) {
  if (text.ends_with("\n"))
    return MemoryBuffer::getMemBufferCopy(text, name);
  return MemoryBuffer::getMemBufferCopy((text + "\n").str(), name);
}

std::unique_ptr<MemoryBuffer> openMlirInput(StringRef path,
                                            std::string *error) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!buf) {
    if (error)
      *error = "cannot open input file '" + path.str() +
               "': " + buf.getError().message();
    return nullptr;
  }
  if ((*buf)->getBuffer().ends_with("\n"))
    return std::move(*buf);
  return mlirSourceBuffer((*buf)->getBuffer(),
                          (*buf)->getBufferIdentifier());
}

} // namespace sxf
