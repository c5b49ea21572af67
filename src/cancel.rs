//! Stopping a check from another thread.
//!
//! A [`Cancel`] is a shared flag. A [`Scratch`](crate::Scratch) that carries one makes
//! the matcher look at it between fields, between its passes over a field, and every few
//! KiB inside the evasion view's walk, and return early once it is set: a request whose
//! deadline has passed stops using the CPU instead of finishing work nobody will read.
//! Findings gathered after a cancel are incomplete; the caller must check
//! [`Cancel::is_cancelled`] and discard them.
//!
//! ```
//! use brandscan::{Cancel, Matcher, Rules, Scanner, Scratch};
//! let scanner = Scanner::new(Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap());
//! let cancel = Cancel::new();
//! let mut scratch = Scratch::new().with_cancel(cancel.clone());
//! assert_eq!(scanner.scan_fields_in([("title", "Rolex")], &mut scratch).len(), 1);
//! cancel.cancel();
//! assert!(scanner.scan_fields_in([("title", "Rolex")], &mut scratch).is_empty());
//! assert!(cancel.is_cancelled());
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A flag that asks running checks to stop; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag not yet set.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Ask every check holding a clone of this flag to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// True once [`Cancel::cancel`] was called on any clone.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
