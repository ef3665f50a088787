#include "plan/up_to_date_record.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "util/binary_put.h"
#include "util/hash.h"
#include "watch/watch_client.h"

extern char** environ;

namespace composer {

namespace {

constexpr char kMagic[8] = {'C', 'M', 'P', 'U', 'T', 'D', '1', '\n'};

void PutString(std::string* out, std::string_view s) {
  Put(out, static_cast<uint64_t>(s.size()));
  out->append(s);
}

}  // namespace

uint64_t UpToDateKey(const std::vector<std::string>& command_line,
                     FileSystem* file_system, const std::vector<std::string>& files) {
  std::string material;
  for (const std::string& arg : command_line) PutString(&material, arg);
  char cwd[PATH_MAX];
  PutString(&material, getcwd(cwd, sizeof cwd) ? cwd : "");
  std::vector<std::string_view> env;
  for (char** e = environ; *e; ++e) {
    const std::string_view var(*e);
    if (var.starts_with("COMPOSER_") || var.starts_with("NINJA_")) env.push_back(var);
  }
  std::sort(env.begin(), env.end());
  for (std::string_view var : env) PutString(&material, var);
  for (const std::string& file : files) {
    std::string err;
    const FileStat st = file_system->Stat(file, &err);
    PutString(&material, file);
    Put(&material, static_cast<uint8_t>(st.kind));
    Put(&material, st.mtime);
    Put(&material, st.size);
    Put(&material, st.inode);
  }
  return HashString(material);
}

bool LoadUpToDateRecord(FileSystem* file_system, const std::string& path,
                        UpToDateRecord* record) {
  std::string data, err;
  if (file_system->ReadFile(path, &data, &err) != FileSystem::ReadStatus::kOkay)
    return false;
  constexpr size_t kSize = sizeof kMagic + 4 * sizeof(uint64_t);
  if (data.size() != kSize || memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    return false;
  uint64_t fields[4];
  memcpy(fields, data.data() + sizeof kMagic, sizeof fields);
  if (HashString(std::string_view(data).substr(0, kSize - sizeof(uint64_t))) != fields[3])
    return false;
  record->key = fields[0];
  record->token = watch::Token{fields[1], fields[2]};
  return record->token.valid();
}

bool SaveUpToDateRecord(FileSystem* file_system, const std::string& path,
                        const UpToDateRecord& record, std::string* err) {
  std::string data(kMagic, sizeof kMagic);
  Put(&data, record.key);
  Put(&data, record.token.instance);
  Put(&data, record.token.seq);
  Put(&data, HashString(data));
  return file_system->WriteFile(path, data, err);
}

bool NothingChangedSince(watch::Token token,
                         const std::function<bool(std::string_view)>& ignored) {
  watch::Request request;
  request.since = token;
  watch::Reply reply;
  std::string err;
  if (watch::AskWatcher(request, &reply, false, 2000, &err) !=
          watch::AskResult::kAnswered ||
      !reply.complete || !reply.subtrees.empty())
    return false;
  return std::all_of(reply.changed.begin(), reply.changed.end(),
                     [&](const std::string& path) { return ignored(path); });
}

}  // namespace composer
