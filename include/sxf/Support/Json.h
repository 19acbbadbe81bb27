//===- Json.h - Limits every sxf JSON reader applies ------------*- C++ -*-===//
//
// llvm::json::parse recurses once per nested array or object, so a file of a
// few thousand '[' overflows the stack before the parser can say anything.
// Every reader of JSON in sxf built on llvm::json (config.json in
// sparse-import, target descriptions) calls checkJsonDepth on the text first;
// it scans iteratively and refuses nesting deeper than kMaxJsonDepth, which
// is far beyond anything those formats use (a safetensors header nests 3
// levels, a Hugging Face config.json about 4), and an object with the same
// key twice (llvm::json keeps one of the values silently).
//
//   if (llvm::Error err = checkJsonDepth(text, path))
//     return std::move(err);
//   llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_JSON_H
#define SXF_SUPPORT_JSON_H

#include "sxf_rt/json.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace sxf {

/// The deepest nesting of arrays and objects an sxf JSON reader accepts: the
/// runtime's bound (the safetensors core parses its headers with
/// sxf_rt/json.h, which enforces it while parsing).
constexpr unsigned kMaxJsonDepth = sxf_rt::kMaxJsonDepth;

/// Fails with "<origin>: JSON nested deeper than 128 levels at byte K" when
/// an array or object opens more than kMaxJsonDepth levels deep in `text`;
/// K is the position of that bracket counted from the start of the file,
/// `offset` being where `text` starts in it. Brackets inside strings
/// (escaped quotes included) do not count. Does not otherwise validate:
/// malformed JSON that is shallow enough is left for the parser to report.
llvm::Error checkJsonDepth(llvm::StringRef text, const llvm::Twine &origin,
                           uint64_t offset = 0);

} // namespace sxf

#endif // SXF_SUPPORT_JSON_H
