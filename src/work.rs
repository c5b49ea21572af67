//! Counted work: the steps a search takes, so that tests and the `work` fuzz target can
//! prove its cost grows linearly with its input without reading a clock.
//!
//! Every loop of a search over the text (normalizing, HTML, the word loop, trie walks,
//! the evasion trigger and view, context, fuzzy lookups) adds the bytes or characters it
//! visits. Counting is compiled in only for tests and fuzzing (`--cfg fuzzing`, which
//! `cargo fuzz` sets); elsewhere [`step`] is nothing.

#[cfg(any(test, fuzzing))]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Count `n` steps of work on this thread.
#[inline(always)]
pub(crate) fn step(n: usize) {
    #[cfg(any(test, fuzzing))]
    STEPS.with(|s| s.set(s.get().wrapping_add(n as u64)));
    #[cfg(not(any(test, fuzzing)))]
    let _ = n;
}

/// The steps counted on this thread so far (tests and fuzzing only).
///
/// ```ignore
/// let before = brandscan::work::steps();
/// matcher.find_all("title", text);
/// let work = brandscan::work::steps() - before;
/// ```
#[cfg(any(test, fuzzing))]
pub fn steps() -> u64 {
    STEPS.with(|s| s.get())
}
