#include "byte_kernels.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__SSE2__)
/// For each 8-bit mask, the indices of its set bits as eight 16-bit lanes (unused lanes 0),
/// and how many there are. Filled once when the library loads: 4 KiB, which stays in the
/// first-level cache beside the walk's hot rows.
static uint16_t byte_offsets[256][8] __attribute__((aligned(16)));
static uint8_t byte_counts[256];

__attribute__((constructor)) static void hieros_fill_byte_offsets(void) {
    for (unsigned mask = 0; mask < 256; mask++) {
        unsigned count = 0;
        for (unsigned bit = 0; bit < 8; bit++) {
            if (mask & (1u << bit)) byte_offsets[mask][count++] = (uint16_t)bit;
        }
        byte_counts[mask] = (uint8_t)count;
    }
}
#endif

size_t hieros_negative_offsets(const int32_t *entries, size_t count, uint16_t *offsets) {
    size_t written = 0, index = 0;
#if defined(__SSE2__)
    // Eight entries per step: their sign bits (two movmskps) select the offsets of the negative
    // ones from a table, written as eight lanes at once; the count advances by how many there
    // were. No branch depends on the entries: in prose a hit is one step in a dozen to forty,
    // at no predictable place, and a loop over the set bits was mispredicted at most rounds.
    // Four entries per step, with a table of sixteen, took twice the instructions.
    // `offsets` has room for `count` lanes, and each store writes 8 from `written <= index`.
    for (; index + 8 <= count; index += 8) {
        unsigned mask = (unsigned)_mm_movemask_ps(_mm_loadu_ps((const float *)(entries + index)))
            | (unsigned)_mm_movemask_ps(_mm_loadu_ps((const float *)(entries + index + 4))) << 4;
        // Indices are at most 65,535: adding them as 16-bit lanes is exact.
        __m128i lanes = _mm_add_epi16(_mm_load_si128((const __m128i *)byte_offsets[mask]),
                                      _mm_set1_epi16((short)(uint16_t)index));
        _mm_storeu_si128((__m128i *)(offsets + written), lanes);
        written += byte_counts[mask];
    }
#endif
    // The last few (or all of them without SSE2): written at every entry, kept only when negative.
    for (; index < count; index++) {
        offsets[written] = (uint16_t)index;
        written += (uint32_t)entries[index] >> 31;
    }
    return written;
}

#if defined(__SSE2__)
/// Flags (0xFF) the bytes that may be separators of spaced letters: 0x20–0x2F (space, `-`,
/// `.` and other punctuation) and `_`. A superset; the caller tests exactly.
static inline __m128i separator_like(__m128i chunk) {
    __m128i high = _mm_and_si128(chunk, _mm_set1_epi8((char)0xF0));
    return _mm_or_si128(_mm_cmpeq_epi8(high, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(chunk, _mm_set1_epi8(0x5F)));
}
#endif

size_t hieros_spaced_letter_candidate(const uint8_t *bytes, size_t from, size_t count) {
    size_t start = from;
#if defined(__SSE2__)
    // Sixteen starts per step: a start is a candidate when the bytes one and three after it
    // may both be separators.
    for (; start + 19 <= count; start += 16) {
        __m128i one = separator_like(_mm_loadu_si128((const __m128i *)(bytes + start + 1)));
        __m128i three = separator_like(_mm_loadu_si128((const __m128i *)(bytes + start + 3)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(one, three));
        if (mask) return start + (size_t)__builtin_ctz(mask);
    }
#endif
    return start;
}

size_t hieros_first_non_ascii(const uint8_t *bytes, size_t from, size_t count) {
    size_t index = from;
#if defined(__SSE2__)
    // Sixteen bytes a step: their high bits are the movemask. Eight bytes a step through 64-bit
    // words, then one at a time to the byte, took three loops and a mispredicted exit from each
    // at every accented letter (one in 136 bytes of French and English prose).
    for (; index + 16 <= count; index += 16) {
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(bytes + index)));
        if (mask) return index + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; index < count; index++) {
        if (bytes[index] >= 0x80) return index;
    }
    return count;
}
