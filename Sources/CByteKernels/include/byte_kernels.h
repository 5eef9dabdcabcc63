// Small loops over bytes and integers that Swift's vectoriser does not turn into the
// instructions they need (sign-bit masks of four lanes, byte comparisons sixteen at once).
#ifndef HIEROS_BYTE_KERNELS_H
#define HIEROS_BYTE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Writes to `offsets` the index of each of `entries[0..<count]` that is negative, in order,
/// and returns how many it wrote. `count` must be at most 65,536 (indices are 16-bit) and
/// `offsets` must have room for `count` indices.
size_t hieros_negative_offsets(const int32_t *entries, size_t count, uint16_t *offsets);

/// The first start at or after `from` where a run of spaced letters (`K E S`) may begin in
/// `bytes[0..<count]` (the bytes one and three after it may both be separators: 0x20–0x2F or
/// `_`), or the first start from which fewer than 19 bytes remain; the caller tests from
/// there one start at a time.
size_t hieros_spaced_letter_candidate(const uint8_t *bytes, size_t from, size_t count);

/// The index of the first byte at or after `from` in `bytes[0..<count]` that is not ASCII
/// (0x80 or above), or `count` when there is none.
size_t hieros_first_non_ascii(const uint8_t *bytes, size_t from, size_t count);

#endif
