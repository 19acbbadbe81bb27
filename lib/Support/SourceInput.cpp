//===- SourceInput.cpp - .mlir input buffers safe for MLIR's lexer --------===//

#include "sxf/Support/SourceInput.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace sxf {

std::string resourceBlobProblem(StringRef text) {
  size_t meta = text.find("{-#");
  if (meta == StringRef::npos)
    return "";
  for (size_t at = text.find("\"0x", meta); at != StringRef::npos;
       at = text.find("\"0x", at + 3)) {
    StringRef hex = text.substr(at + 3, 8);
    if (hex.size() < 8 || !llvm::all_of(hex, llvm::isHexDigit))
      continue; // not a blob header; MLIR's own parser says what is wrong
    uint32_t align = 0;
    for (int byte = 3; byte >= 0; --byte) // little-endian
      align = align << 8 | uint32_t(llvm::hexFromNibbles(hex[2 * byte],
                                                         hex[2 * byte + 1]));
    if (align != 0 && llvm::isPowerOf2_32(align) && align <= 65536)
      continue;
    size_t lineStart = text.rfind('\n', at);
    lineStart = lineStart == StringRef::npos ? 0 : lineStart + 1;
    size_t line = text.take_front(at).count('\n') + 1;
    return std::to_string(line) + ":" + std::to_string(at - lineStart + 1) +
           ": dense_resource blob declares alignment " +
           std::to_string(align) +
           " (its first 4 bytes); an alignment is a power of two up to 65536";
  }
  return "";
}

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
  std::string problem = resourceBlobProblem((*buf)->getBuffer());
  if (!problem.empty()) {
    if (error)
      *error = path.str() + ":" + problem;
    return nullptr;
  }
  if ((*buf)->getBuffer().ends_with("\n"))
    return std::move(*buf);
  return mlirSourceBuffer((*buf)->getBuffer(),
                          (*buf)->getBufferIdentifier());
}

} // namespace sxf
