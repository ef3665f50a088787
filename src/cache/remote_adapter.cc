#include "cache/remote_adapter.h"

namespace composer {

RemoteStoreAdapter::RemoteStoreAdapter(std::unique_ptr<RemoteStore> remote)
    : remote_(std::move(remote)) {}

RemoteStoreAdapter::~RemoteStoreAdapter() {
  Flush();
}

Store::Result RemoteStoreAdapter::GetAction(const Digest& key, std::string* entry) {
  switch (remote_->Get(RemoteStore::Kind::kAction, key.Hex(), entry)) {
    case RemoteStore::Result::kHit:
      return Result::kHit;
    case RemoteStore::Result::kMiss:
      return Result::kMiss;
    case RemoteStore::Result::kError:
      break;
  }
  return Result::kError;
}

Store::Result RemoteStoreAdapter::GetBlob(const Digest& digest, std::string* data) {
  switch (remote_->Get(RemoteStore::Kind::kBlob, digest.Hex(), data)) {
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
