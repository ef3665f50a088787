// Monotonic time for durations, and wall-clock time in the file system's
// units (nanoseconds since the epoch) for comparing with mtimes.
#pragma once

#include <cstdint>

namespace composer {

// Milliseconds on a monotonic clock (an arbitrary but fixed origin).
int64_t MonotonicMillis();

}  // namespace composer
