#include "util/canon_path.h"

#include <vector>

namespace composer {

void CanonicalizePath(char* path, size_t* len) {
  if (*len == 0) return;

  const char* src = path;
  const char* const end = path + *len;
  char* dst = path;
  char* const start = path;
  // The start of every component written to dst so far, so ".." can back up.
  // A small inline array covers ordinary paths without touching the heap.
  constexpr int kInline = 64;
  char* inline_components[kInline];
  std::vector<char*> heap_components;
  char** components = inline_components;
  size_t capacity = kInline;
  size_t count = 0;

  if (*src == '/') {
    ++src;
    ++dst;
  }

  while (src < end) {
    if (*src == '.') {
      if (src + 1 == end || src[1] == '/') {
        src += 2;  // "." component: drop it.
        continue;
      }
      if (src[1] == '.' && (src + 2 == end || src[2] == '/')) {
        if (count > 0) {
          dst = components[--count];
          src += 3;
        } else {
          // Nothing to back up over: keep "..", and its slash if any.
          *dst++ = '.';
          *dst++ = '.';
          src += 2;
          if (src < end) *dst++ = *src++;
        }
        continue;
      }
    }
    if (*src == '/') {
      ++src;
      continue;
    }
    if (count == capacity) {
      // Out of inline room: move to the heap once, then grow there.
      if (components == inline_components)
        heap_components.assign(inline_components, inline_components + count);
      heap_components.resize(capacity * 2);
      capacity *= 2;
      components = heap_components.data();
    }

    components[count++] = dst;
    while (src < end && *src != '/') *dst++ = *src++;
    if (src < end) *dst++ = *src++;  // keep the separator
  }

  if (dst == start) {
    *dst++ = '.';
  } else if (dst > start + 1 && dst[-1] == '/') {
    --dst;  // a trailing separator never survives
  } else if (dst == start + 1 && *start == '/') {
    // Ninja turns a bare root ("/", "/foo/..") into the empty string.
    dst = start;
  }
  *len = static_cast<size_t>(dst - start);
}

void CanonicalizePath(std::string* path) {
  size_t len = path->size();
  if (len == 0) return;
  CanonicalizePath(path->data(), &len);
  path->resize(len);
}

}  // namespace composer
