#include "byte_kernels.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// For each 4-bit mask, the indices of its set bits as four 16-bit lanes (unused lanes 0).
static const uint64_t nibble_offsets[16] = {
    0x0000000000000000, 0x0000000000000000, 0x0000000000000001, 0x0000000000010000,
    0x0000000000000002, 0x0000000000020000, 0x0000000000020001, 0x0000000200010000,
    0x0000000000000003, 0x0000000000030000, 0x0000000000030001, 0x0000000300010000,
    0x0000000000030002, 0x0000000300020000, 0x0000000300020001, 0x0003000200010000,
};

size_t hieros_negative_offsets(const int32_t *entries, size_t count, uint16_t *offsets) {
    size_t written = 0, index = 0;
#if defined(__SSE2__)
    // Four entries per step: their sign bits (one movmskps) select the offsets of the negative
    // ones from a table, written as four lanes at once; the count advances by how many there
    // were. No branch depends on the entries: in prose about one in twelve is negative, at no
    // predictable place, and a loop over the set bits was mispredicted at most rounds.
    // `offsets` has room for `count` lanes, and the store writes 4 from `written <= index`.
    for (; index + 4 <= count; index += 4) {
        unsigned mask = (unsigned)_mm_movemask_ps(_mm_loadu_ps((const float *)(entries + index)));
        uint64_t lanes = nibble_offsets[mask] + (uint64_t)index * 0x0001000100010001ULL;
        memcpy(offsets + written, &lanes, sizeof lanes);
        written += (size_t)__builtin_popcount(mask);
    }
#endif
    // The rest (or all of it without SSE2): written at every entry, kept only when negative.
    for (; index < count; index++) {
        offsets[written] = (uint16_t)index;
        written += (uint32_t)entries[index] >> 31;
    }
    return written;
}
