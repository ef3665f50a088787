// Reads a file of length-prefixed binary records (.ninja_deps,
// .composer_db) a block at a time: loading a large log never holds all of
// it in memory, which keeps a no-op build's peak memory down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace composer {

class RecordReader {
 public:
  enum class Result { kRecord, kEnd, kTorn, kError };

  RecordReader() = default;
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  ~RecordReader();

  // Opens `path`; false with *error = errno on failure.
  bool Open(const std::string& path, int* error);
  // Reads the file's first `size` bytes into *header; false (and nothing
  // consumed) when the file is shorter or unreadable.
  bool ReadHeader(size_t size, std::string* header);

  // The next record: a u32 head, whose bits in `size_mask` give the payload
  // size, then the payload. kTorn when the file ends inside a record or the
  // size exceeds `max_payload`; kError on a read error (see error()). The
  // payload stays valid until the next call.
  Result Next(uint32_t size_mask, uint32_t max_payload, uint32_t* head,
              const char** payload, uint32_t* size);

  // Where the last whole record ends: the length to truncate a torn file to.
  uint64_t offset() const { return offset_; }
  int error() const { return error_; }

 private:
  // Makes at least `want` bytes available from begin_; false at EOF/error.
  bool Fill(size_t want);

  int fd_ = -1;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  int error_ = 0;
  uint64_t offset_ = 0;
};

}  // namespace composer
