//! Lookup tables filled a page at a time, on first use.
//!
//! The normalizer's tables answer for tens of thousands of characters, and filling one
//! whole costs more than the check of a listing: a start-up that reads a few accented
//! terms and an ASCII title asks about a handful of pages, a catalog scan about the
//! pages of the scripts it holds.

use std::sync::OnceLock;

/// Characters per page.
pub(crate) const PAGE: u32 = 256;

/// `N` pages of a table over the numbers `0..N * PAGE`, each made by `fill(first)` the
/// first time a number in it is asked for.
pub(crate) struct Paged<P: 'static, const N: usize> {
    pages: [OnceLock<P>; N],
    fill: fn(u32) -> P,
}

impl<P, const N: usize> Paged<P, N> {
    pub(crate) const fn new(fill: fn(u32) -> P) -> Self {
        Paged {
            pages: [const { OnceLock::new() }; N],
            fill,
        }
    }

    /// The page that holds number `n` (filled now if it was not), or `None` past the
    /// table's end.
    #[inline]
    pub(crate) fn page(&self, n: u32) -> Option<&P> {
        let page = self.pages.get((n / PAGE) as usize)?;
        Some(page.get_or_init(|| (self.fill)(n / PAGE * PAGE)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_filled_from_their_first_number() {
        static T: Paged<[u32; PAGE as usize], 2> =
            Paged::new(|first| std::array::from_fn(|k| first + k as u32));
        assert_eq!(T.page(300).map(|p| p[300 % 256]), Some(300));
        assert_eq!(T.page(5).map(|p| p[5]), Some(5));
        assert!(T.page(512).is_none());
    }
}
