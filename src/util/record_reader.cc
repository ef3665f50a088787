#include "util/record_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

namespace composer {

namespace {
constexpr size_t kBlock = 1 << 20;
}

RecordReader::~RecordReader() {
  if (fd_ >= 0) close(fd_);
}

bool RecordReader::Open(const std::string& path, int* error) {
  fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    *error = errno;
    return false;
  }
  buffer_.resize(kBlock);
  return true;
}

bool RecordReader::Fill(size_t want) {
  if (end_ - begin_ >= want) return true;
  // Move what is left to the front, grow for a record larger than a block.
  if (begin_ > 0) {
    memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() < want) buffer_.resize(want);
  while (end_ < want && !eof_) {
    const ssize_t n = read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return false;
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
  }
  return end_ >= want;
}

bool RecordReader::ReadHeader(size_t size, std::string* header) {
  if (!Fill(size)) return false;
  header->assign(buffer_.data(), size);
  begin_ += size;
  offset_ += size;
  return true;
}

RecordReader::Result RecordReader::Next(uint32_t size_mask, uint32_t max_payload,
                                        uint32_t* head, const char** payload,
                                        uint32_t* size) {
  if (!Fill(4)) {
    if (error_) return Result::kError;
    return end_ == begin_ ? Result::kEnd : Result::kTorn;
  }
  memcpy(head, buffer_.data() + begin_, 4);
  *size = *head & size_mask;
  if (*size > max_payload) return Result::kTorn;
  if (!Fill(4 + static_cast<size_t>(*size)))
    return error_ ? Result::kError : Result::kTorn;
  *payload = buffer_.data() + begin_ + 4;
  begin_ += 4 + *size;
  offset_ += 4 + *size;
  return Result::kRecord;
}

}  // namespace composer
