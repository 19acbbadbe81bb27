//===- Safetensors.h - Reading and writing .safetensors files -*- C++ -*-===//
//
// The safetensors format (https://github.com/huggingface/safetensors):
//   8 bytes    little-endian u64 N, the header length
//   N bytes    UTF-8 JSON object: { "__metadata__": {str: str}?,
//                                   NAME: {"dtype": "F32", "shape": [..],
//                                          "data_offsets": [begin, end]} ... }
//   rest       the data buffer; offsets are relative to its start
//
// The reader validates everything before handing out a byte: a truncated
// file, a header longer than the file, malformed JSON, an unknown dtype, a
// byte range outside the buffer or of the wrong size for its shape and dtype,
// overlapping tensors and bytes no tensor covers are all errors that name
// the file and the tensor. The parsing, the checks and the header writing
// are the runtime's core (sxf_rt/safetensors.h), which generated programs
// read their weights with too; this API wraps it.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_SAFETENSORS_H
#define SXF_SUPPORT_SAFETENSORS_H

#include "sxf/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sxf {

/// One tensor entry of a safetensors header.
struct SafetensorsEntry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0; // offset into the data buffer
  uint64_t end = 0;
};

/// A read-only, memory-mapped safetensors file.
class SafetensorsFile {
public:
  /// Opens and validates `path`. Errors name the path and the problem.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>>
  open(llvm::StringRef path);
  /// Validates an in-memory buffer; `name` is used in error messages.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name);

  llvm::StringRef path() const { return filePath; }
  /// Entries in header order.
  llvm::ArrayRef<SafetensorsEntry> entries() const { return entryList; }
  const SafetensorsEntry *find(llvm::StringRef name) const;
  const std::map<std::string, std::string> &metadata() const { return meta; }

  /// The raw little-endian bytes of a tensor.
  llvm::ArrayRef<uint8_t> rawData(const SafetensorsEntry &e) const;
  /// Reads a floating-point tensor converted to fp32. Error if the tensor is
  /// missing or not F32/F16/BF16/F64. The mapped pages the tensor occupies
  /// are released afterwards (see releasePages), so reading every weight of a
  /// file larger than memory one by one keeps one tensor resident, not the
  /// file.
  llvm::Expected<Tensor> readFloat(llvm::StringRef name) const;
  /// Drops the process's resident pages of `e`'s bytes when the file is
  /// memory-mapped (madvise MADV_DONTNEED on the pages wholly inside the
  /// tensor; the mapping is read-only, so a later read faults them back in
  /// from the page cache or the disk). A no-op for files read into memory.
  void releasePages(const SafetensorsEntry &e) const;

private:
  std::string filePath;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  uint64_t dataStart = 0;
  std::vector<SafetensorsEntry> entryList;
  std::map<std::string, std::string> meta;
};

/// A tensor to be written: fp32 values stored as `dtype` (F32, F16 or BF16),
/// or, with `raw` set (and `tensor` null), a byte array written as a 1-D U8
/// tensor (encoded sparse-format arrays).
struct SafetensorsWriteEntry {
  std::string name;
  const Tensor *tensor = nullptr;
  DType dtype = DType::F32;
  const std::vector<uint8_t> *raw = nullptr;
};

/// One tensor of a file written by SafetensorsWriter: fp32 values stored as
/// `dtype` (F32, F16, BF16) or, with dtype U8 and a 1-D shape, raw bytes.
struct SafetensorsSlot {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
};

/// Writes a safetensors file whose tensors arrive one at a time, in any
/// order, so that a model larger than memory can be written with one tensor
/// in memory. The header (names, dtypes, shapes and so every offset, by the
/// one layout rule of sxf_rt::safetensorsFileHeader) is known up front and
/// written first; each tensor is then written at its offset as it comes.
/// The file is an OutputFile (sxf/Support/FileOutput.h): a temporary file
/// beside the target, renamed over it by commit() once every tensor has been
/// written; destroying the writer uncommitted removes it. The bytes equal
/// writeSafetensors' for the same tensors (writeSafetensors is this writer
/// fed in header order).
///
/// On a target that cannot seek (a pipe, stdout) a tensor that arrives
/// before its turn is held in memory until the tensors before it are
/// written.
///
///   auto w = SafetensorsWriter::create(path, slots, metadata);  // header
///   (*w)->write("b", tensorB); (*w)->write("a", tensorA);       // any order
///   if (llvm::Error e = (*w)->commit()) ...                     // renamed
class SafetensorsWriter {
public:
  /// Checks the slots (unique UTF-8 names, valid shapes, writable dtypes),
  /// then opens `path` and writes the header. Errors name the path.
  static llvm::Expected<std::unique_ptr<SafetensorsWriter>>
  create(llvm::StringRef path, llvm::ArrayRef<SafetensorsSlot> slots,
         const std::map<std::string, std::string> &metadata = {});
  ~SafetensorsWriter();

  /// Writes the fp32 values of `name` converted to its slot's dtype. Errors:
  /// no such slot, written before, a value count other than the shape's (a
  /// short write), a write failure.
  llvm::Error write(llvm::StringRef name, llvm::ArrayRef<float> values);
  /// Writes the bytes of a U8 slot.
  llvm::Error writeRaw(llvm::StringRef name, llvm::ArrayRef<uint8_t> bytes);
  bool written(llvm::StringRef name) const;
  /// Names of the slots not written yet, in header order.
  std::vector<std::string> missing() const;
  /// Fails when a tensor was never written (the file would be short);
  /// otherwise closes the file and renames it into place.
  llvm::Error commit();

private:
  struct Impl;
  explicit SafetensorsWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

/// Writes a safetensors file (header padded with spaces to a multiple of 8
/// bytes, tensors in the given order, contiguous). Duplicate names are an
/// error. The file is written to a temporary and renamed into place.
llvm::Error writeSafetensors(llvm::StringRef path,
                             llvm::ArrayRef<SafetensorsWriteEntry> tensors,
                             const std::map<std::string, std::string> &metadata = {});

} // namespace sxf

#endif // SXF_SUPPORT_SAFETENSORS_H
