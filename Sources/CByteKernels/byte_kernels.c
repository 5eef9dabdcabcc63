#include "byte_kernels.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t hieros_negative_offsets(const int32_t *entries, size_t count, uint16_t *offsets) {
    size_t written = 0, index = 0;
#if defined(__SSE2__)
    // Sixteen entries per round: four sign masks of four lanes make one 16-bit mask, whose set
    // bits are the negative entries. In prose about one entry in twelve is negative, so most
    // rounds write one or two offsets; a branch per entry would be mispredicted that often.
    for (; index + 16 <= count; index += 16) {
        const float *lanes = (const float *)(entries + index);
        unsigned mask = (unsigned)_mm_movemask_ps(_mm_loadu_ps(lanes))
                      | (unsigned)_mm_movemask_ps(_mm_loadu_ps(lanes + 4)) << 4
                      | (unsigned)_mm_movemask_ps(_mm_loadu_ps(lanes + 8)) << 8
                      | (unsigned)_mm_movemask_ps(_mm_loadu_ps(lanes + 12)) << 12;
        while (mask != 0) {
            offsets[written++] = (uint16_t)(index + (unsigned)__builtin_ctz(mask));
            mask &= mask - 1;
        }
    }
#endif
    // The rest (or all of it without SSE2): written at every entry, kept only when negative.
    for (; index < count; index++) {
        offsets[written] = (uint16_t)index;
        written += (uint32_t)entries[index] >> 31;
    }
    return written;
}
