//! Key ranges and pages of results.

use std::ops::Bound;

/// A range of raw keys, compared bytewise (lexicographically, shorter prefix first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRange {
    /// Lower bound.
    pub start: Bound<Vec<u8>>,
    /// Upper bound.
    pub end: Bound<Vec<u8>>,
}

impl KeyRange {
    /// Every key.
    pub fn all() -> Self {
        KeyRange {
            start: Bound::Unbounded,
            end: Bound::Unbounded,
        }
    }

    /// Keys in `[start, end)`.
    pub fn between(start: &[u8], end: &[u8]) -> Self {
        KeyRange {
            start: Bound::Included(start.to_vec()),
            end: Bound::Excluded(end.to_vec()),
        }
    }

    /// Keys that start with `prefix`.
    pub fn prefix(prefix: &[u8]) -> Self {
        let end = match prefix_successor(prefix) {
            Some(s) => Bound::Excluded(s),
            None => Bound::Unbounded,
        };
        KeyRange {
            start: Bound::Included(prefix.to_vec()),
            end,
        }
    }

    /// Narrows the range to keys strictly greater than `key` (forward pagination).
    /// A `key` below the range leaves it unchanged; one above it makes it empty.
    #[must_use]
    pub fn after(mut self, key: &[u8]) -> Self {
        let tighter = match &self.start {
            Bound::Unbounded => true,
            Bound::Included(s) => key >= s.as_slice(),
            Bound::Excluded(s) => key > s.as_slice(),
        };
        if tighter {
            self.start = Bound::Excluded(key.to_vec());
        }
        self
    }

    /// Narrows the range to keys strictly less than `key` (reverse pagination).
    #[must_use]
    pub fn before(mut self, key: &[u8]) -> Self {
        let tighter = match &self.end {
            Bound::Unbounded => true,
            Bound::Included(e) => key <= e.as_slice(),
            Bound::Excluded(e) => key < e.as_slice(),
        };
        if tighter {
            self.end = Bound::Excluded(key.to_vec());
        }
        self
    }

    /// True when `key` lies in the range.
    pub fn contains(&self, key: &[u8]) -> bool {
        let lo = match &self.start {
            Bound::Unbounded => true,
            Bound::Included(s) => key >= s.as_slice(),
            Bound::Excluded(s) => key > s.as_slice(),
        };
        let hi = match &self.end {
            Bound::Unbounded => true,
            Bound::Included(e) => key <= e.as_slice(),
            Bound::Excluded(e) => key < e.as_slice(),
        };
        lo && hi
    }
}

/// The smallest byte string greater than every string starting with `prefix`,
/// or `None` when there is none (empty prefix or all `0xFF`).
pub fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < 0xFF {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// One page of a paginated scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page, in scan order.
    pub items: Vec<T>,
    /// When more items follow: the raw key of the last item returned, to pass back as
    /// `after` for the next page (wrap it with [`crate::encode_token`] before handing it out).
    pub next: Option<Vec<u8>>,
}

impl<T> Page<T> {
    /// The opaque pagination token for the next page, if any.
    pub fn next_token(&self) -> Option<String> {
        self.next.as_deref().map(crate::token::encode_token)
    }

    /// Maps the items, keeping the continuation.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor() {
        assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_successor(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_successor(b"\xff\xff"), None);
        assert_eq!(prefix_successor(b""), None);
    }

    #[test]
    fn after_before() {
        let r = KeyRange::prefix(b"b");
        assert!(r.contains(b"b"));
        assert!(r.contains(b"b\xff\xff"));
        assert!(!r.contains(b"c"));
        let r2 = r.clone().after(b"a");
        assert_eq!(r2, r);
        let r3 = r.clone().after(b"bb");
        assert!(!r3.contains(b"bb"));
        assert!(r3.contains(b"bc"));
        let r4 = r.clone().before(b"bb");
        assert!(r4.contains(b"ba"));
        assert!(!r4.contains(b"bb"));
    }
}
