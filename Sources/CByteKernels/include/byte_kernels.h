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

/// The state of folding a text (`ScalarFolder` in HierosText): the text, the folded output
/// once something changed, and the pieces of the map back (four 64-bit values each: rewritten
/// offset and length, original offset and length).
typedef struct {
    const uint8_t *source;
    size_t count;
    /// Null until the first rewrite: a text that nothing changes is not copied.
    uint8_t *out;
    size_t out_capacity;
    size_t written;
    /// Where the unchanged stretch not yet copied to `out` starts in `source`.
    size_t verbatim;
    int64_t *pieces;
    size_t piece_capacity;
    size_t piece_count;
    /// The folding of every scalar below U+0800, packed as `TwoByteFolding.table` (2,048 entries).
    const uint32_t *two_byte;
    /// 256 slots, by a three-byte scalar's low byte: the scalar and its folding packed the
    /// same way (0: empty). Filled by the caller for the foldings of at most three bytes.
    uint32_t *cache_keys;
    uint32_t *cache_values;
} hieros_fold;

/// Why `hieros_fold_run` stopped.
enum {
    /// The end of the text: what is left since `verbatim` is unchanged.
    HIEROS_FOLD_DONE = 0,
    /// A scalar changes, and `out` is null: the caller provides it and runs again.
    HIEROS_FOLD_NEEDS_OUTPUT = 1,
    /// A scalar changes, and the pieces are full: the caller takes them and runs again.
    HIEROS_FOLD_PIECES_FULL = 2,
    /// A byte the kernel leaves to the caller: not UTF-8, a four-byte scalar, a folding longer
    /// than three bytes, or a three-byte scalar not in the cache.
    HIEROS_FOLD_SCALAR = 3,
};

/// Folds from `*index_at` on: copies ASCII and the scalars whose folding is known, rewriting those
/// it changes, until a stop (`*index_at` is then the byte concerned). `out` has room for
/// `written + (count - verbatim) * 3 / 2 + 3` bytes when set (a known folding is at most three
/// bytes for at least two).
int hieros_fold_run(hieros_fold *fold, size_t *index_at);

/// Replaces the `length` source bytes at `index` with `replacement_count` bytes: copies the
/// unchanged stretch before them and records the piece. The caller has made room for both.
void hieros_fold_rewrite(hieros_fold *fold, size_t index, size_t length, const uint8_t *replacement,
                         size_t replacement_count);

#endif
