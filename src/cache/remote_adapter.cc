#include "cache/remote_adapter.h"

#include "cache/action_entry.h"

namespace composer {

RemoteStoreAdapter::RemoteStoreAdapter(std::unique_ptr<RemoteStore> remote)
    : remote_(std::move(remote)) {}

RemoteStoreAdapter::~RemoteStoreAdapter() {
  Flush();
}

namespace {

// Blobs of one entry fetched ahead at most (more are fetched one by one).
constexpr uint64_t kPrefetchBytes = uint64_t{256} << 20;

}  // namespace

Store::Result RemoteStoreAdapter::GetAction(const Digest& key, std::string* entry) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    prefetched_.clear();
  }
  switch (remote_->Get(RemoteStore::Kind::kAction, key.Hex(), entry)) {
    case RemoteStore::Result::kHit:
      Prefetch(*entry);
      return Result::kHit;
    case RemoteStore::Result::kMiss:
      return Result::kMiss;
    case RemoteStore::Result::kError:
      break;
  }
  return Result::kError;
}

void RemoteStoreAdapter::Prefetch(const std::string& data) {
  ActionEntry entry;
  std::string err;
  if (!entry.Parse(data, &err) || entry.kind != ActionEntry::Kind::kResult ||
      entry.outputs.size() < 2)
    return;  // the caller will find out what is wrong with it
  std::vector<RemoteStore::Fetch> fetches;
  uint64_t bytes = 0;
  for (const ActionEntry::Output& out : entry.outputs) {
    if (out.mode & (ActionEntry::kDirectory | ActionEntry::kInline)) continue;  // no blob
    bytes += out.size;
    if (bytes > kPrefetchBytes) break;
    RemoteStore::Fetch fetch;
    fetch.hex = out.digest.Hex();
    fetches.push_back(std::move(fetch));
  }
  remote_->GetMany(&fetches);
  std::lock_guard<std::mutex> lock(mutex_);
  for (RemoteStore::Fetch& fetch : fetches) {
    if (fetch.result == RemoteStore::Result::kHit)
      prefetched_[fetch.hex] = {Result::kHit, std::move(fetch.bytes)};
    else if (fetch.result == RemoteStore::Result::kMiss)
      prefetched_[fetch.hex] = {Result::kMiss, {}};
  }
}

Store::Result RemoteStoreAdapter::GetBlob(const Digest& digest, std::string* data) {
  const std::string hex = digest.Hex();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = prefetched_.find(hex);
    if (it != prefetched_.end()) {
      Result result = it->second.result;
      if (result == Result::kHit) *data = std::move(it->second.bytes);
      prefetched_.erase(it);
      return result;
    }
  }
  switch (remote_->Get(RemoteStore::Kind::kBlob, hex, data)) {
    case RemoteStore::Result::kHit:
      return Result::kHit;
    case RemoteStore::Result::kMiss:
      return Result::kMiss;
    case RemoteStore::Result::kError:
      break;
  }
  return Result::kError;
}

bool RemoteStoreAdapter::PutAction(const Digest& key, const std::string& entry,
                                   std::string* err) {
  if (!remote_->writable()) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  held_.emplace_back(key.Hex(), entry);
  return true;
}

bool RemoteStoreAdapter::PutBlob(const Digest& digest, const std::string& data,
                                 std::string* err) {
  remote_->PutAsync(RemoteStore::Kind::kBlob, digest.Hex(), data);
  return true;
}

void RemoteStoreAdapter::Flush() {
  std::vector<std::pair<std::string, std::string>> held;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held.swap(held_);
  }
  remote_->Flush();  // the blobs first
  for (auto& [hex, entry] : held)
    remote_->PutAsync(RemoteStore::Kind::kAction, hex, std::move(entry));
  remote_->Flush();
}

std::unique_ptr<RemoteStoreAdapter> RemoteStoreAdapter::FromEnvironment(
    std::string* err) {
  err->clear();
  RemoteStoreConfig config;
  if (!RemoteStoreConfig::FromEnvironment(&config, err) || config.url.empty())
    return nullptr;
  return std::make_unique<RemoteStoreAdapter>(NewHttpRemoteStore(std::move(config)));
}

}  // namespace composer
