//! A byte trie walked only from its root: the automaton of anchored walks.
//!
//! Every search in the matcher is anchored: at a word start of the normalized text
//! ([`super::Engine`]) or at a character of the obfuscation view's windows. An
//! Aho-Corasick automaton spends most of its construction on failure transitions and on
//! copying each state's suffix matches into it, and an anchored walk uses neither: for
//! 200,000 terms that was two thirds of the start-up. This trie is built from the sorted
//! patterns in one pass, and a walk reads one byte class and one transition per byte.
//!
//! Layout, in one `u32` array (`states`): a state at offset `o` is a header (the
//! number of transitions, or [`DENSE`]), the pattern that ends there if any, then either
//! a row indexed by byte class or the sparse transitions' classes, four to a word,
//! followed by their targets. A reference to a state is `o << 1 | ends_a_pattern`, so a
//! walk learns of a match without reading the state; 0 is the dead state. The top two
//! levels, where every walk starts and the fan-out is wide, are dense rows, and they are
//! laid out first (breadth first), so they share cache lines.

use crate::error::{Error, Result};

/// The dead state: no pattern continues.
pub(crate) const DEAD: u32 = 0;

/// The header of a state whose transitions are one row indexed by byte class.
const DENSE: u32 = u32::MAX;

/// States this shallow get dense rows: every walk passes through them.
const DENSE_DEPTH: u32 = 2;

/// States with this many transitions or more get dense rows too: a linear search
/// through them would cost more than the row's memory.
const DENSE_FANOUT: usize = 12;

/// Patterns compiled for walks from the root: `walk(b"nike air max", 0, f)` over
/// `["nike", "nike air"]` calls `f(4, 0)` and then `f(8, 1)` (see the tests below).
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    /// Byte → class; 0 for a byte that occurs in no pattern. Valid UTF-8 never holds 13
    /// byte values, so the classes (at most 243 and the dead one) fit a byte.
    classes: [u8; 256],
    states: Box<[u32]>,
    root: u32,
}

/// A trie node while building: children in a singly linked list, in byte order.
#[derive(Clone, Copy)]
struct Node {
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// Pattern id + 1, or 0.
    pattern: u32,
    children: u32,
    class: u8,
    depth: u8,
}

const NONE: u32 = u32::MAX;

impl Trie {
    /// Compile `patterns`; pattern `i` is reported as `i`. Empty patterns never match
    /// (a walk reports a pattern only after reading a byte); of two equal patterns the
    /// first is reported.
    pub(crate) fn build<S: AsRef<str>>(patterns: &[S]) -> Result<Trie> {
        let too_big = || Error::too_big("cannot build the matcher: the word lists are too big");
        let mut classes = [0u8; 256];
        for p in patterns {
            for &b in p.as_ref().as_bytes() {
                classes[b as usize] = 1;
            }
        }
        let mut class_count = 1usize;
        for c in classes.iter_mut() {
            if *c != 0 {
                *c = u8::try_from(class_count).map_err(|_| too_big())?;
                class_count += 1;
            }
        }
        let mut order: Vec<u32> = (0..patterns.len())
            .filter(|&i| !patterns[i].as_ref().is_empty())
            .map(|i| u32::try_from(i).map_err(|_| too_big()))
            .collect::<Result<_>>()?;
        order.sort_by(|&a, &b| {
            let (a, b) = (&patterns[a as usize], &patterns[b as usize]);
            a.as_ref().as_bytes().cmp(b.as_ref().as_bytes())
        });

        let leaf = |class: u8, depth: u8| Node {
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            pattern: 0,
            children: 0,
            class,
            depth,
        };
        let mut nodes = vec![leaf(0, 0)];
        // The nodes of the previous pattern's path, root first: sorted input means a new
        // pattern shares a prefix of it and then only appends last children.
        let mut path: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for &id in &order {
            let p = patterns[id as usize].as_ref().as_bytes();
            let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &p[common..] {
                let parent = *path.last().unwrap_or(&0) as usize;
                let child = u32::try_from(nodes.len()).map_err(|_| too_big())?;
                let depth = u8::try_from(path.len()).unwrap_or(u8::MAX);
                nodes.push(leaf(classes[b as usize], depth));
                let n = &mut nodes[parent];
                if n.last_child == NONE {
                    n.first_child = child;
                } else {
                    let last = n.last_child as usize;
                    nodes[last].next_sibling = child;
                }
                let n = &mut nodes[parent];
                n.last_child = child;
                n.children += 1;
                path.push(child);
            }
            let end = *path.last().unwrap_or(&0) as usize;
            if nodes[end].pattern == 0 {
                nodes[end].pattern = id + 1;
            }
            prev = p;
        }

        // Breadth first: offsets, then contents.
        let dense =
            |n: &Node| u32::from(n.depth) < DENSE_DEPTH || n.children as usize >= DENSE_FANOUT;
        let size = |n: &Node| {
            let k = n.children as usize;
            1 + usize::from(n.pattern != 0)
                + if dense(n) {
                    class_count
                } else {
                    k.div_ceil(4) + k
                }
        };
        let mut bfs: Vec<u32> = Vec::with_capacity(nodes.len());
        bfs.push(0);
        let mut offsets = vec![0u32; nodes.len()];
        // Offset 0 is a pad word, so that no state's reference is the dead one.
        let mut total = 1usize;
        let mut head = 0;
        while head < bfs.len() {
            let n = &nodes[bfs[head] as usize];
            offsets[bfs[head] as usize] = u32::try_from(total).map_err(|_| too_big())?;
            total += size(n);
            let mut c = n.first_child;
            while c != NONE {
                bfs.push(c);
                c = nodes[c as usize].next_sibling;
            }
            head += 1;
        }
        if total > (u32::MAX >> 1) as usize {
            return Err(too_big());
        }
        let reference = |i: u32| {
            let n = &nodes[i as usize];
            offsets[i as usize] << 1 | u32::from(n.pattern != 0)
        };
        let mut states = vec![0u32; total];
        for &i in &bfs {
            let n = &nodes[i as usize];
            let mut o = offsets[i as usize] as usize;
            let k = n.children as usize;
            states[o] = if dense(n) { DENSE } else { n.children };
            o += 1;
            if n.pattern != 0 {
                states[o] = n.pattern - 1;
                o += 1;
            }
            let mut c = n.first_child;
            let mut j = 0;
            while c != NONE {
                let child = &nodes[c as usize];
                if dense(n) {
                    states[o + child.class as usize] = reference(c);
                } else {
                    states[o + j / 4] |= u32::from(child.class) << (8 * (j % 4));
                    states[o + k.div_ceil(4) + j] = reference(c);
                }
                j += 1;
                c = child.next_sibling;
            }
        }
        Ok(Trie {
            classes,
            root: reference(0),
            states: states.into_boxed_slice(),
        })
    }

    /// The state every walk starts from.
    #[inline]
    pub(crate) fn root(&self) -> u32 {
        self.root
    }

    /// The state after reading `byte` in `state` (not [`DEAD`]).
    #[inline(always)]
    pub(crate) fn next(&self, state: u32, byte: u8) -> u32 {
        let class = self.classes[byte as usize];
        if class == 0 {
            return DEAD;
        }
        let s = &self.states;
        let mut o = (state >> 1) as usize;
        let header = s[o];
        o += 1 + (state & 1) as usize;
        if header == DENSE {
            return s[o + class as usize];
        }
        if header == 1 {
            // The commonest state below the top: one way on. Its key word holds only
            // that class, the pad bytes being 0.
            return if s[o] == u32::from(class) {
                s[o + 1]
            } else {
                DEAD
            };
        }
        let k = header as usize;
        let keys = k.div_ceil(4);
        let want = u32::from(class) * 0x0101_0101;
        for w in 0..keys {
            // The zero bytes of `x` are where the class is: the lowest one, checked.
            let x = s[o + w] ^ want;
            let zero = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080;
            if zero != 0 {
                let j = w * 4 + (zero.trailing_zeros() / 8) as usize;
                // Unused key bytes are 0, never a live class.
                return if j < k { s[o + keys + j] } else { DEAD };
            }
        }
        DEAD
    }

    /// Whether reaching `state` completes a pattern.
    #[inline]
    pub(crate) fn is_match(state: u32) -> bool {
        state & 1 != 0
    }

    /// The pattern `state` completes ([`Trie::is_match`] must hold).
    #[inline]
    pub(crate) fn pattern(&self, state: u32) -> usize {
        self.states[(state >> 1) as usize + 1] as usize
    }

    /// Call `f(end, pattern)` for every pattern that starts at `hay[p]`, shortest first.
    #[inline(always)]
    pub(crate) fn walk(&self, hay: &[u8], p: usize, mut f: impl FnMut(usize, usize)) {
        let mut s = self.root;
        for (i, &b) in hay[p..].iter().enumerate() {
            crate::work::step(1);
            s = self.next(s, b);
            if s == DEAD {
                return;
            }
            if Self::is_match(s) {
                f(p + i + 1, self.pattern(s));
            }
        }
    }

    /// Heap bytes.
    pub(crate) fn memory_usage(&self) -> usize {
        self.states.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    fn all_walks(t: &Trie, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        for p in 0..hay.len() {
            t.walk(hay.as_bytes(), p, |e, id| got.push((p, e, id)));
        }
        got.sort_unstable();
        got
    }

    #[test]
    fn walks_report_every_pattern_from_its_start() {
        let t = Trie::build(&["nike", "nike air", "ni", "air", "耐克", ""]).unwrap();
        assert_eq!(
            all_walks(&t, "nike air 耐克"),
            [(0, 2, 2), (0, 4, 0), (0, 8, 1), (5, 8, 3), (9, 15, 4)]
        );
        assert!(all_walks(&t, "").is_empty());
        assert_eq!(t.next(t.root(), b'z'), DEAD);
    }

    #[test]
    fn equal_patterns_report_the_first() {
        let t = Trie::build(&["ab", "ab", "a"]).unwrap();
        assert_eq!(all_walks(&t, "ab"), [(0, 1, 2), (0, 2, 0)]);
    }

    #[test]
    fn wide_and_deep_states() {
        // A state with every class as a child, past the dense depth, and a long chain.
        let mut pats: Vec<String> = (0u8..=127).map(|b| format!("xyz{}", b as char)).collect();
        pats.push("q".repeat(300));
        let t = Trie::build(&pats).unwrap();
        for (i, p) in pats.iter().enumerate() {
            let mut ends = Vec::new();
            t.walk(p.as_bytes(), 0, |e, id| ends.push((e, id)));
            assert_eq!(ends.last(), Some(&(p.len(), i)), "{p:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

        /// Walks from every byte find exactly the overlapping matches of Aho-Corasick.
        #[test]
        fn walks_find_what_aho_corasick_finds(
            pats in proptest::collection::hash_set("[abc é耐]{1,6}|[a-z]{1,3}", 1..60),
            hay in "[abc é耐x]{0,40}",
        ) {
            let pats: Vec<String> = pats.into_iter().collect();
            let t = Trie::build(&pats).unwrap();
            let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&pats).unwrap();
            let mut want: Vec<_> = ac
                .find_overlapping_iter(&hay)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            want.sort_unstable();
            proptest::prop_assert_eq!(all_walks(&t, &hay), want);
        }
    }
}
