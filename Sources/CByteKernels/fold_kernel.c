#include "byte_kernels.h"

#include <string.h>

// The fold of normalisation (E1-E3, `ScalarFolder`) for the scalars whose folding is known:
// ASCII runs, two-byte scalars from a table and three-byte ones from a cache the caller fills.
// In Swift, each accented letter (one in 136 bytes of French and English prose) cost about
// 370 instructions: decoding, a closure, appends to two arrays; here, a few dozen.

void hieros_fold_rewrite(hieros_fold *fold, size_t index, size_t length, const uint8_t *replacement,
                         size_t replacement_count) {
    size_t stretch = index - fold->verbatim;
    memcpy(fold->out + fold->written, fold->source + fold->verbatim, stretch);
    fold->written += stretch;
    int64_t *piece = fold->pieces + 4 * fold->piece_count;
    piece[0] = (int64_t)fold->written;
    piece[1] = (int64_t)replacement_count;
    piece[2] = (int64_t)index;
    piece[3] = (int64_t)length;
    fold->piece_count += 1;
    for (size_t position = 0; position < replacement_count; position++) fold->out[fold->written + position] = replacement[position];
    fold->written += replacement_count;
    fold->verbatim = index + length;
}

int hieros_fold_run(hieros_fold *fold, size_t *index_at) {
    const uint8_t *source = fold->source;
    const size_t count = fold->count;
    size_t index = *index_at;
    for (;;) {
        index = hieros_first_non_ascii(source, index, count);
        if (index >= count) {
            *index_at = count;
            return HIEROS_FOLD_DONE;
        }
        const uint8_t lead = source[index];
        size_t length;
        uint32_t packed;
        if (lead >= 0xC2 && lead <= 0xDF && index + 1 < count && (source[index + 1] & 0xC0) == 0x80) {
            length = 2;
            packed = fold->two_byte[(uint32_t)(lead & 0x1F) << 6 | (source[index + 1] & 0x3F)];
        } else if (lead >= 0xE0 && lead <= 0xEF && index + 2 < count && (source[index + 1] & 0xC0) == 0x80
                   && (source[index + 2] & 0xC0) == 0x80) {
            uint32_t scalar = (uint32_t)(lead & 0x0F) << 12 | (uint32_t)(source[index + 1] & 0x3F) << 6
                | (source[index + 2] & 0x3F);
            // Overlong forms and surrogates are not UTF-8: the caller reports them.
            packed = scalar >= 0x800 && (scalar < 0xD800 || scalar > 0xDFFF) && fold->cache_keys[scalar & 0xFF] == scalar
                ? fold->cache_values[scalar & 0xFF] : 0;
            length = 3;
        } else {
            packed = 0;
            length = 0;
        }
        // Known foldings have the high bit (`1 << 31 | count << 24 | bytes`, little-endian).
        if (!(packed & 0x80000000u)) {
            *index_at = index;
            return HIEROS_FOLD_SCALAR;
        }
        const size_t replacement_count = packed >> 24 & 0x3;
        const uint8_t replacement[3] = {(uint8_t)packed, (uint8_t)(packed >> 8), (uint8_t)(packed >> 16)};
        if (replacement_count == length && memcmp(replacement, source + index, length) == 0) {
            index += length;
            continue;
        }
        if (!fold->out) {
            *index_at = index;
            return HIEROS_FOLD_NEEDS_OUTPUT;
        }
        if (fold->piece_count == fold->piece_capacity) {
            *index_at = index;
            return HIEROS_FOLD_PIECES_FULL;
        }
        hieros_fold_rewrite(fold, index, length, replacement, replacement_count);
        index += length;
    }
}
