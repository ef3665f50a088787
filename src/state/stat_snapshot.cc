#include "state/stat_snapshot.h"

#include <cstring>

namespace composer {

namespace {

constexpr char kMagic[8] = {'C', 'M', 'P', 'S', 'T', 'A', 'T', '\n'};

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t count;
  uint64_t instance;
  uint64_t seq;
};

// The header's fields when `data` is a whole, undamaged snapshot file.
bool Check(std::string_view data, Header* header) {
  uint64_t checksum;
  if (data.size() < sizeof *header + sizeof checksum) return false;
  memcpy(header, data.data(), sizeof *header);
  memcpy(&checksum, data.data() + data.size() - sizeof checksum, sizeof checksum);
  return memcmp(header->magic, kMagic, sizeof kMagic) == 0 &&
         header->version == StatSnapshot::kVersion &&
         data.size() == sizeof *header +
                            size_t{header->count} * sizeof(StatSnapshot::Entry) +
                            sizeof checksum &&
         HashString(data.substr(0, data.size() - sizeof checksum)) == checksum;
}

}  // namespace

bool LoadStatSnapshot(FileSystem* file_system, const std::string& path,
                      StatSnapshot* snapshot, std::string* err) {
  *snapshot = StatSnapshot();
  std::string data;
  switch (file_system->ReadFile(path, &data, err)) {
    case FileSystem::ReadStatus::kOkay:
      break;
    case FileSystem::ReadStatus::kNotFound:
      err->clear();
      return true;
    case FileSystem::ReadStatus::kOtherError:
      return false;
  }
  Header header;
  if (!Check(data, &header)) return true;  // as if there were none
  snapshot->instance = header.instance;
  snapshot->seq = header.seq;
  snapshot->bytes_ = std::move(data);
  snapshot->offset_ = sizeof header;
  snapshot->count_ = header.count;
  for (size_t i = 0; i < snapshot->count_; ++i) {
    if (snapshot->entry(i).kind > FileStat::kOther) {
      *snapshot = StatSnapshot();
      break;
    }
  }
  return true;
}

bool SaveStatSnapshot(FileSystem* file_system, const std::string& path,
                      const StatSnapshot& snapshot, std::string* err) {
  Header header;
  memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = StatSnapshot::kVersion;
  header.count = static_cast<uint32_t>(snapshot.count_);
  header.instance = snapshot.instance;
  header.seq = snapshot.seq;
  std::string out(reinterpret_cast<const char*>(&header), sizeof header);
  out.append(snapshot.bytes_, snapshot.offset_,
             snapshot.count_ * sizeof(StatSnapshot::Entry));
  const uint64_t checksum = HashString(out);
  out.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  return file_system->WriteFile(path, out, err);
}

}  // namespace composer
