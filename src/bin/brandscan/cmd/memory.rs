//! How the long-running work — `serve`'s reloads, a run over many pictures — keeps
//! glibc's allocator from holding on to memory it no longer needs.

/// Hand freed memory back to the system: glibc keeps freed pages in its arenas
/// otherwise, and the process would stay at its peak. Called after a reload of the
/// lists and after each picture read.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Keep glibc from raising its mmap threshold, so large temporaries (a reload's tables,
/// a picture's tensors) are mapped and unmapped, never left in the heap.
///
/// A 200,000-term list holds about 140 MB live but a reload peaks near 430 MB: the new
/// lists and the build's large temporaries beside the old lists. Counted with a
/// counting allocator (examples/reload_memory.rs) and with heaptrack, the live heap
/// comes back to the same bytes after every reload: nothing leaks. But glibc raises its
/// mmap threshold (to up to 32 MiB) each time a mapped block is freed, so after the
/// first reload the large temporaries come from the heap, where the small blocks of the
/// new lists get placed between them and `malloc_trim` can give back only whole free
/// pages: the resident size crept from 264 MB to 446 MB over 20 reloads. With the
/// threshold fixed at glibc's default 128 KiB it stays near 330 MB (docs/serve.md has
/// the figures). A `MALLOC_MMAP_THRESHOLD_` set in the environment wins.
pub fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: mallopt only sets a tunable of the allocator (under its own lock).
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}
