// Tests for the block-wise record reader behind .ninja_deps and
// .composer_db loads: records across block boundaries, records larger than
// a block, and torn tails.

#include "util/record_reader.h"
#include "support/scratch_dir.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

class RecordReaderTest : public ::testing::Test {
 protected:
  // Writes "HEAD" then records of the given payload sizes (payload byte i
  // of record r is (r + i) % 251); returns the file's bytes.
  std::string Write(const std::vector<uint32_t>& sizes) {
    std::string bytes = "HEAD";
    for (size_t r = 0; r < sizes.size(); ++r) {
      const uint32_t head = sizes[r] | (static_cast<uint32_t>(r % 2) << 31);
      bytes.append(reinterpret_cast<const char*>(&head), 4);
      for (uint32_t i = 0; i < sizes[r]; ++i)
        bytes.push_back(static_cast<char>((r + i) % 251));
    }
    std::ofstream(path_, std::ios::binary) << bytes;
    return bytes;
  }

  // Opens the file and reads its "HEAD".
  void OpenPastHeader(RecordReader* reader) {
    int error = 0;
    ASSERT_TRUE(reader->Open(path_, &error));
    std::string header;
    ASSERT_TRUE(reader->ReadHeader(4, &header));
    EXPECT_EQ("HEAD", header);
  }

  // The next record of at most 100 bytes, of any kind.
  static RecordReader::Result Next(RecordReader* reader) {
    uint32_t head = 0, size = 0;
    const char* payload = nullptr;
    return reader->Next(0x7fffffff, 100, &head, &payload, &size);
  }

  ScratchDir dir_{"records"};
  std::string path_ = dir_.Path("records");
};

TEST_F(RecordReaderTest, ReadsEveryRecordAcrossBlocks) {
  std::vector<uint32_t> sizes;
  for (int i = 0; i < 3000; ++i)
    sizes.push_back(static_cast<uint32_t>((i * 7919) % 2000));
  sizes.insert(sizes.begin() + 1500, 3u << 20);  // larger than a block
  const std::string bytes = Write(sizes);

  RecordReader reader;
  int error = 0;
  ASSERT_TRUE(reader.Open(path_, &error));
  std::string header;
  ASSERT_TRUE(reader.ReadHeader(4, &header));
  EXPECT_EQ("HEAD", header);
  for (size_t r = 0; r < sizes.size(); ++r) {
    uint32_t head = 0, size = 0;
    const char* payload = nullptr;
    ASSERT_EQ(RecordReader::Result::kRecord,
              reader.Next(0x7fffffff, 4u << 20, &head, &payload, &size))
        << "record " << r;
    ASSERT_EQ(sizes[r], size);
    EXPECT_EQ(r % 2, head >> 31);
    for (uint32_t i = 0; i < size; i += 997)
      ASSERT_EQ(static_cast<char>((r + i) % 251), payload[i]) << r << " " << i;
  }
  uint32_t head = 0, size = 0;
  const char* payload = nullptr;
  EXPECT_EQ(RecordReader::Result::kEnd,
            reader.Next(0x7fffffff, 4u << 20, &head, &payload, &size));
  EXPECT_EQ(bytes.size(), reader.offset());
}

TEST_F(RecordReaderTest, TornTailAndOversizedRecords) {
  const std::string bytes = Write({10, 20, 30});
  const uint64_t whole_two = 4 + (4 + 10) + (4 + 20);
  for (size_t cut : {bytes.size() - 1, whole_two + 2, whole_two + 6}) {
    ASSERT_EQ(0, truncate(path_.c_str(), static_cast<off_t>(cut)));
    RecordReader reader;
    OpenPastHeader(&reader);
    ASSERT_EQ(RecordReader::Result::kRecord, Next(&reader));
    ASSERT_EQ(RecordReader::Result::kRecord, Next(&reader));
    EXPECT_EQ(whole_two, reader.offset());
    EXPECT_EQ(RecordReader::Result::kTorn, Next(&reader));
    EXPECT_EQ(whole_two, reader.offset());
  }
  Write({10, 200});
  RecordReader reader;
  OpenPastHeader(&reader);
  ASSERT_EQ(RecordReader::Result::kRecord, Next(&reader));
  EXPECT_EQ(RecordReader::Result::kTorn, Next(&reader));
}

TEST_F(RecordReaderTest, ShortHeaderAndMissingFile) {
  std::ofstream(path_, std::ios::binary) << "HE";
  RecordReader reader;
  int error = 0;
  ASSERT_TRUE(reader.Open(path_, &error));
  std::string header;
  EXPECT_FALSE(reader.ReadHeader(4, &header));
  EXPECT_EQ(0, reader.error());
  RecordReader missing;
  EXPECT_FALSE(missing.Open(path_ + ".none", &error));
  EXPECT_EQ(ENOENT, error);
}

}  // namespace
}  // namespace composer
