#include "cache/action_entry.h"

#include <cstring>

namespace composer {

namespace {

constexpr char kMagic[6] = {'C', 'M', 'P', 'A', 'C', '1'};
constexpr uint32_t kMaxCount = 1 << 20;
constexpr uint64_t kMaxString = uint64_t{1} << 30;
// The kind byte of a list entry holding more than one list (older readers
// see an unknown kind: a miss).
constexpr uint8_t kDiscoveredListsByte = 3;

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutString(std::string* out, const std::string& s) {
  PutU64(out, s.size());
  *out += s;
}

struct Reader {
  const std::string& data;
  size_t pos = 0;
  bool ok = true;

  uint64_t U64() {
    if (pos + 8 > data.size()) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(data[pos + i]);
    pos += 8;
    return v;
  }
  std::string String() {
    const uint64_t size = U64();
    if (!ok || size > kMaxString || pos + size > data.size()) {
      ok = false;
      return std::string();
    }
    std::string s = data.substr(pos, size);
    pos += size;
    return s;
  }
  void Bytes(void* out, size_t size) {
    if (pos + size > data.size()) {
      ok = false;
      return;
    }
    memcpy(out, data.data() + pos, size);
    pos += size;
  }
};

}  // namespace

bool IsContainedRelativePath(const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find('\0') != std::string::npos)
    return false;
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    const std::string_view part = std::string_view(path).substr(
        start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

std::string ActionEntry::Serialize() const {
  std::string out(kMagic, sizeof kMagic);
  // One list keeps the format of before there were several.
  const bool several = kind == Kind::kDiscovered && !older_deps.empty();
  out.push_back(static_cast<char>(several ? kDiscoveredListsByte : uint8_t(kind)));
  PutU64(&out, deps.size());
  for (const std::string& dep : deps) PutString(&out, dep);
  if (several) {
    PutU64(&out, older_deps.size());
    for (const std::vector<std::string>& list : older_deps) {
      PutU64(&out, list.size());
      for (const std::string& dep : list) PutString(&out, dep);
    }
  }
  if (kind == Kind::kDiscovered) return out;
  PutU64(&out, outputs.size());
  for (const Output& o : outputs) {
    PutString(&out, o.path);
    PutU64(&out, o.mode);
    PutU64(&out, o.size);
    out.append(reinterpret_cast<const char*>(o.digest.bytes.data()), 32);
    if (o.mode & kInline) PutString(&out, o.data);
  }
  PutString(&out, output);
  PutU64(&out, duration_ms);
  return out;
}

bool ActionEntry::Parse(const std::string& data, std::string* err) {
  if (data.size() < sizeof kMagic + 1 ||
      memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    *err = "not a cache entry";
    return false;
  }
  Reader r{data, sizeof kMagic};
  const uint8_t k = static_cast<uint8_t>(data[r.pos++]);
  if (k != static_cast<uint8_t>(Kind::kResult) &&
      k != static_cast<uint8_t>(Kind::kDiscovered) && k != kDiscoveredListsByte) {
    *err = "unknown cache entry kind";
    return false;
  }
  kind = k == kDiscoveredListsByte ? Kind::kDiscovered : static_cast<Kind>(k);
  auto read_list = [&r](std::vector<std::string>* list) {
    const uint64_t count = r.U64();
    if (count > kMaxCount) r.ok = false;
    list->clear();
    for (uint64_t i = 0; r.ok && i < count; ++i) list->push_back(r.String());
  };
  read_list(&deps);
  older_deps.clear();
  if (k == kDiscoveredListsByte && r.ok) {
    const uint64_t lists = r.U64();
    if (lists == 0 || lists >= kMaxDepsLists) r.ok = false;
    older_deps.resize(r.ok ? lists : 0);
    for (std::vector<std::string>& list : older_deps) read_list(&list);
  }
  outputs.clear();
  if (kind == Kind::kResult && r.ok) {
    const uint64_t count = r.U64();
    if (count == 0 || count > kMaxCount) r.ok = false;
    for (uint64_t i = 0; r.ok && i < count; ++i) {
      Output o;
      o.path = r.String();
      o.mode = static_cast<uint32_t>(
          r.U64() & (07777 | kRelocated | kDirectory | kSymlink | kInline));
      o.size = r.U64();
      r.Bytes(o.digest.bytes.data(), 32);
      if (r.ok && !IsContainedRelativePath(o.path)) {
        *err = "cache entry names an output outside the build directory: " + o.path;
        return false;
      }
      if (r.ok && (o.mode & kInline)) {
        o.data = r.String();
        if (r.ok &&
            (o.data.size() != o.size || o.data.size() > kMaxInlineBytes ||
             (o.mode & (kDirectory | kSymlink)) || Sha256Of(o.data) != o.digest)) {
          *err = "cache entry's inline output does not match its digest: " + o.path;
          return false;
        }
      }
      outputs.push_back(std::move(o));
    }
    output = r.String();
    duration_ms = r.U64();
  }
  if (!r.ok || r.pos != data.size()) {
    *err = "truncated or malformed cache entry";
    return false;
  }
  return true;
}

}  // namespace composer
