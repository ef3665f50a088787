// Monotonic time for durations, and wall-clock time in the file system's
// units (nanoseconds since the epoch) for comparing with mtimes.
#pragma once

#include <cstdint>

namespace composer {

// Milliseconds on a monotonic clock (an arbitrary but fixed origin).
int64_t MonotonicMillis();

// The wall clock in nanoseconds since the epoch, the unit of FileStat::mtime.
int64_t WallClockNanos();

}  // namespace composer
