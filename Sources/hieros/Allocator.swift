#if canImport(Glibc)
import CMalloc
#endif

/// Process-wide allocator settings, which only the executable may make.
enum Allocator {
    /// A large scan allocates and frees buffers of several MiB for each piece (up to 4 MiB). glibc gives
    /// blocks that large their own mappings and unmaps them on free, so every piece faulted in
    /// and zeroed fresh pages: about a tenth of the scan's CPU time went to the kernel. Kept in
    /// the heap, freed blocks are reused by the next piece; peak memory is unchanged, as the
    /// buffers in flight are bounded by the number of workers.
    static func keepLargeBlocks() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }
}
