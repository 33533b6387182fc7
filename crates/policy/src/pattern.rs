//! Wildcards (`*`, `?`), policy variables and ARN-segment matching.
//!
//! A pattern is compiled once into tokens: literal runs, `*`, `?` and variables
//! (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`). The escapes
//! `${*}`, `${?}` and `${$}` become the literal characters. Policies with
//! `Version` `2008-10-17` (or none) do not process variables: `${…}` is text.
//!
//! The matcher never backtracks: the text before the first `*` is anchored at
//! the start, the text after the last `*` is anchored at the end, and each chunk
//! in between is found at its leftmost position (which is always safe). Its cost
//! is O(|text| × |pattern|) in the worst case and O(|text|) for literal chunks;
//! patterns without variables are matched without allocating.

/// Byte equality without calling into libc's `memcmp`: the strings compared on
/// the hot path are short (ARN prefixes, action names, context keys), where the
/// call costs more than the comparison (and, on some virtual machines, a lot more).
#[inline]
pub(crate) fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        match (<[u8; 8]>::try_from(x), <[u8; 8]>::try_from(y)) {
            (Ok(x), Ok(y)) if u64::from_ne_bytes(x) == u64::from_ne_bytes(y) => {}
            _ => return false,
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// `text` starts with `p` (see [`bytes_eq`]).
#[inline]
pub(crate) fn has_prefix(text: &str, p: &str) -> bool {
    text.as_bytes()
        .get(..p.len())
        .is_some_and(|h| bytes_eq(h, p.as_bytes()))
}

/// `text` ends with `p` (see [`bytes_eq`]).
#[inline]
fn has_suffix(text: &str, p: &str) -> bool {
    text.len() >= p.len()
        && text
            .as_bytes()
            .get(text.len() - p.len()..)
            .is_some_and(|t| bytes_eq(t, p.as_bytes()))
}

/// Looks up the value a variable resolves to (single-valued keys only).
pub trait Resolver {
    /// The value of the context key `key_lower` (already lower-cased), if it has exactly one.
    fn var(&self, key_lower: &str) -> Option<&str>;
}

/// A resolver that knows no variables.
pub struct NoVars;

impl Resolver for NoVars {
    fn var(&self, _: &str) -> Option<&str> {
        None
    }
}

/// One compiled token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(Box<str>),
    Star,
    One,
    Var {
        key: Box<str>,
        default: Option<Box<str>>,
    },
}

/// A token with variables resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Lit(&'a str),
    Star,
    One,
}

pub(crate) trait AsPiece {
    fn piece(&self) -> Piece<'_>;
}

impl AsPiece for Piece<'_> {
    fn piece(&self) -> Piece<'_> {
        *self
    }
}

impl AsPiece for Tok {
    fn piece(&self) -> Piece<'_> {
        match self {
            Tok::Lit(s) => Piece::Lit(s),
            Tok::Star => Piece::Star,
            Tok::One => Piece::One,
            // Never reached: patterns with variables are resolved first.
            Tok::Var { .. } => Piece::Lit("\u{0}${unresolved}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Fast {
    Any,
    Exact(Box<str>),
    Prefix(Box<str>),
    General,
}

/// A compiled wildcard pattern (possibly with variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    toks: Vec<Tok>,
    fast: Fast,
    has_vars: bool,
}

/// How a pattern's text is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    /// `*` and `?` are wildcards.
    pub wildcards: bool,
    /// `${…}` is a variable (policy version 2012-10-17).
    pub variables: bool,
    /// Lower-case literals (actions).
    pub lowercase: bool,
}

fn push_lit(toks: &mut Vec<Tok>, s: &str, lowercase: bool) {
    if s.is_empty() {
        return;
    }
    let s = if lowercase {
        s.to_lowercase()
    } else {
        s.to_string()
    };
    if let Some(Tok::Lit(prev)) = toks.last_mut() {
        let mut joined = prev.to_string();
        joined.push_str(&s);
        *prev = joined.into_boxed_str();
    } else {
        toks.push(Tok::Lit(s.into_boxed_str()));
    }
}

/// Parse `${…}` at the start of `s` (which begins with `${`). Returns the token
/// and the number of bytes consumed, or `None` if it is not a variable.
fn parse_var(s: &str) -> Option<(Tok, usize)> {
    let body_end = s.find('}')?;
    let body = s.get(2..body_end)?;
    let consumed = body_end + 1;
    match body {
        "*" => return Some((Tok::Lit("*".into()), consumed)),
        "?" => return Some((Tok::Lit("?".into()), consumed)),
        "$" => return Some((Tok::Lit("$".into()), consumed)),
        _ => {}
    }
    let (name, default) = match body.split_once(',') {
        Some((n, d)) => {
            let d = d.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (n.trim(), Some(d.to_string().into_boxed_str()))
        }
        None => (body.trim(), None),
    };
    if name.is_empty() || name.contains('$') || name.contains('{') {
        return None;
    }
    Some((
        Tok::Var {
            key: name.to_lowercase().into_boxed_str(),
            default,
        },
        consumed,
    ))
}

impl Pattern {
    /// A case-sensitive wildcard pattern (`*` any run, `?` one character), without
    /// policy variables: what `StringLike` compiles its values to in a
    /// `2008-10-17` policy. Used by tests and fuzzing as the matcher's public face.
    pub fn wildcard(s: &str) -> Pattern {
        Pattern::compile(
            s,
            Syntax {
                wildcards: true,
                variables: false,
                lowercase: false,
            },
        )
    }

    /// A wildcard pattern that also reads policy variables (`${aws:username}`,
    /// `${aws:PrincipalTag/k, 'default'}`, the `${*}` `${?}` `${$}` escapes), as in a
    /// `2012-10-17` policy.
    pub fn with_variables(s: &str) -> Pattern {
        Pattern::compile(
            s,
            Syntax {
                wildcards: true,
                variables: true,
                lowercase: false,
            },
        )
    }

    pub(crate) fn compile(s: &str, syn: Syntax) -> Pattern {
        let mut toks: Vec<Tok> = Vec::new();
        let mut lit_start = 0;
        let mut i = 0;
        let bytes = s.as_bytes();
        while let Some(&b) = bytes.get(i) {
            let special = match b {
                b'*' | b'?' if syn.wildcards => true,
                b'$' if syn.variables && bytes.get(i + 1) == Some(&b'{') => true,
                _ => false,
            };
            if !special {
                i += 1;
                continue;
            }
            push_lit(
                &mut toks,
                s.get(lit_start..i).unwrap_or_default(),
                syn.lowercase,
            );
            match b {
                b'*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                b'?' => {
                    toks.push(Tok::One);
                    i += 1;
                }
                _ => match s.get(i..).and_then(parse_var) {
                    Some((Tok::Lit(l), n)) => {
                        push_lit(&mut toks, &l, false);
                        i += n;
                    }
                    Some((t, n)) => {
                        toks.push(t);
                        i += n;
                    }
                    None => {
                        push_lit(&mut toks, "$", false);
                        i += 1;
                    }
                },
            }
            lit_start = i;
        }
        push_lit(
            &mut toks,
            s.get(lit_start..).unwrap_or_default(),
            syn.lowercase,
        );
        Self::from_toks(toks)
    }

    fn from_toks(toks: Vec<Tok>) -> Pattern {
        let has_vars = toks.iter().any(|t| matches!(t, Tok::Var { .. }));
        let fast = match toks.as_slice() {
            [Tok::Star] => Fast::Any,
            [] => Fast::Exact("".into()),
            [Tok::Lit(l)] => Fast::Exact(l.clone()),
            [Tok::Lit(l), Tok::Star] => Fast::Prefix(l.clone()),
            _ => Fast::General,
        };
        Pattern {
            toks,
            fast,
            has_vars,
        }
    }

    /// `true` if the pattern is exactly `*`.
    pub fn is_any(&self) -> bool {
        self.fast == Fast::Any
    }

    /// `true` if the pattern contains a wildcard.
    pub fn has_wildcards(&self) -> bool {
        self.toks.iter().any(|t| matches!(t, Tok::Star | Tok::One))
    }

    /// `true` if the pattern contains a policy variable.
    pub fn has_vars(&self) -> bool {
        self.has_vars
    }

    /// Does `text` match? `None` when a variable cannot be resolved.
    pub fn matches(&self, text: &str, r: &dyn Resolver) -> Option<bool> {
        match &self.fast {
            Fast::Any => Some(true),
            Fast::Exact(l) => Some(bytes_eq(text.as_bytes(), l.as_bytes())),
            Fast::Prefix(p) => Some(has_prefix(text, p)),
            Fast::General if !self.has_vars => Some(wildcard_match(&self.toks, text)),
            Fast::General => self.with_resolved(r, |pieces| wildcard_match(pieces, text)),
        }
    }

    /// Equality with `text` ignoring case (for `StringEqualsIgnoreCase`; wildcards are literal here).
    pub(crate) fn equals_ignore_case(&self, text: &str, r: &dyn Resolver) -> Option<bool> {
        fn eq_ic<P: AsPiece>(pieces: &[P], text: &str) -> bool {
            let lhs = pieces.iter().flat_map(|p| match p.piece() {
                Piece::Lit(l) => l.chars(),
                Piece::Star => "*".chars(),
                Piece::One => "?".chars(),
            });
            lhs.flat_map(char::to_lowercase)
                .eq(text.chars().flat_map(char::to_lowercase))
        }
        if self.has_vars {
            self.with_resolved(r, |pieces| eq_ic(pieces, text))
        } else {
            Some(eq_ic(&self.toks, text))
        }
    }

    /// Run `f` over the tokens with variables resolved: on the stack for patterns
    /// of up to 16 tokens (no allocation), in a `Vec` beyond. `None` when a
    /// variable cannot be resolved.
    fn with_resolved<T>(&self, r: &dyn Resolver, f: impl FnOnce(&[Piece<'_>]) -> T) -> Option<T> {
        const N: usize = 16;
        if self.toks.len() <= N {
            let mut buf = [Piece::Star; N];
            for (slot, t) in buf.iter_mut().zip(&self.toks) {
                *slot = match t {
                    Tok::Var { key, default } => Piece::Lit(r.var(key).or(default.as_deref())?),
                    other => other.piece(),
                };
            }
            return buf.get(..self.toks.len()).map(f);
        }
        Some(f(&self.resolve(r)?))
    }

    fn resolve<'a>(&'a self, r: &'a dyn Resolver) -> Option<Vec<Piece<'a>>> {
        let mut out = Vec::with_capacity(self.toks.len());
        for t in &self.toks {
            out.push(match t {
                Tok::Var { key, default } => Piece::Lit(r.var(key).or(default.as_deref())?),
                other => other.piece(),
            });
        }
        Some(out)
    }

    /// The literal text when the pattern has neither wildcards nor variables.
    pub fn literal(&self) -> Option<&str> {
        match &self.fast {
            Fast::Exact(l) => Some(l),
            _ => None,
        }
    }

    /// Does this pattern match every string `other` matches? A conservative test
    /// used to find redundant actions/resources (no variables on either side).
    pub(crate) fn covers(&self, other: &Pattern) -> bool {
        if self.has_vars || other.has_vars {
            return false;
        }
        if self.is_any() {
            return true;
        }
        match &other.fast {
            Fast::Exact(l) => wildcard_match(&self.toks, l),
            Fast::Prefix(p) => match &self.fast {
                Fast::Prefix(q) => p.starts_with(&**q),
                _ => false,
            },
            _ => self == other,
        }
    }
}

fn is_star<P: AsPiece>(p: &P) -> bool {
    matches!(p.piece(), Piece::Star)
}

fn match_at<P: AsPiece>(chunk: &[P], text: &str, mut pos: usize) -> Option<usize> {
    for p in chunk {
        match p.piece() {
            Piece::Lit(l) => {
                if has_prefix(text.get(pos..)?, l) {
                    pos += l.len();
                } else {
                    return None;
                }
            }
            Piece::One => pos += text.get(pos..)?.chars().next()?.len_utf8(),
            Piece::Star => return None,
        }
    }
    Some(pos)
}

fn match_back<P: AsPiece>(chunk: &[P], text: &str, mut end: usize) -> Option<usize> {
    for p in chunk.iter().rev() {
        match p.piece() {
            Piece::Lit(l) => {
                if has_suffix(text.get(..end)?, l) {
                    end -= l.len();
                } else {
                    return None;
                }
            }
            Piece::One => end -= text.get(..end)?.chars().next_back()?.len_utf8(),
            Piece::Star => return None,
        }
    }
    Some(end)
}

fn find_chunk<P: AsPiece>(chunk: &[P], region: &str, mut p: usize) -> Option<usize> {
    let first_lit = match chunk.first().map(AsPiece::piece) {
        Some(Piece::Lit(l)) => Some(l),
        _ => None,
    };
    loop {
        if let Some(l) = first_lit {
            p += region.get(p..)?.find(l)?;
        }
        if let Some(e) = match_at(chunk, region, p) {
            return Some(e);
        }
        p += region.get(p..)?.chars().next()?.len_utf8();
    }
}

/// Match `text` against a token sequence without backtracking.
pub(crate) fn wildcard_match<P: AsPiece>(pat: &[P], text: &str) -> bool {
    let Some(first) = pat.iter().position(is_star) else {
        return match_at(pat, text, 0) == Some(text.len());
    };
    let last = pat.iter().rposition(is_star).unwrap_or(first);
    let (Some(head), Some(tail)) = (pat.get(..first), pat.get(last + 1..)) else {
        return false;
    };
    let Some(mut pos) = match_at(head, text, 0) else {
        return false;
    };
    let Some(limit) = match_back(tail, text, text.len()) else {
        return false;
    };
    if limit < pos {
        return false;
    }
    let Some(region) = text.get(..limit) else {
        return false;
    };
    let mut i = first + 1;
    while i < last {
        let j = pat
            .get(i..)
            .and_then(|rest| rest.iter().position(is_star))
            .map_or(last, |k| i + k);
        if let Some(chunk) = pat.get(i..j) {
            if !chunk.is_empty() {
                match find_chunk(chunk, region, pos) {
                    Some(e) => pos = e,
                    None => return false,
                }
            }
        }
        i = j + 1;
    }
    true
}

/// A resource / ARN pattern matched per ARN component.
///
/// The pattern and the text are both split on their first five colons into at
/// most six components (`arn:partition:service:region:account:resource`), and
/// each component is matched on its own: a `*` in the region never crosses
/// into the account. The sixth component (the resource) may itself contain
/// colons, which a `*` there does cross. A pattern with fewer components (for
/// example `*`, or `arn:aws:iam::*`) matches its last component against the
/// rest of the text — the choice localorg makes where AWS documents nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnPattern {
    /// The leading components that are plain literals, joined with and followed
    /// by `:` (`arn:aws:s3:::`), compared in one go.
    prefix: Box<str>,
    /// How many components `prefix` covers.
    prefix_segments: usize,
    segments: Vec<Pattern>,
}

impl ArnPattern {
    /// A `Resource` pattern as a `2012-10-17` policy reads it (wildcards and variables).
    pub fn resource(s: &str) -> ArnPattern {
        ArnPattern::compile(
            s,
            Syntax {
                wildcards: true,
                variables: true,
                lowercase: false,
            },
        )
    }

    pub(crate) fn compile(s: &str, syn: Syntax) -> ArnPattern {
        let whole = Pattern::compile(s, syn);
        if whole.is_any() {
            return ArnPattern {
                prefix: "".into(),
                prefix_segments: 0,
                segments: vec![whole],
            };
        }
        let mut segments = Vec::new();
        let mut cur: Vec<Tok> = Vec::new();
        for t in whole.toks {
            match t {
                Tok::Lit(l) if segments.len() < 5 && l.contains(':') => {
                    let mut rest: &str = &l;
                    while segments.len() < 5 {
                        let Some((a, b)) = rest.split_once(':') else {
                            break;
                        };
                        push_lit(&mut cur, a, false);
                        segments.push(Pattern::from_toks(std::mem::take(&mut cur)));
                        rest = b;
                    }
                    push_lit(&mut cur, rest, false);
                }
                other => cur.push(other),
            }
        }
        segments.push(Pattern::from_toks(cur));
        // Literal leading components (never the last one) become one prefix.
        let mut prefix = String::new();
        let mut prefix_segments = 0;
        for seg in segments.iter().take(segments.len().saturating_sub(1)) {
            match seg.literal() {
                Some(l) => {
                    prefix.push_str(l);
                    prefix.push(':');
                    prefix_segments += 1;
                }
                None => break,
            }
        }
        ArnPattern {
            prefix: prefix.into_boxed_str(),
            prefix_segments,
            segments,
        }
    }

    /// `true` if the pattern is `*`.
    pub fn is_any(&self) -> bool {
        matches!(self.segments.as_slice(), [p] if p.is_any())
    }

    /// `true` if the pattern uses a policy variable.
    pub fn has_vars(&self) -> bool {
        self.segments.iter().any(Pattern::has_vars)
    }

    /// Does `text` match? `None` when a variable cannot be resolved.
    pub fn matches(&self, text: &str, r: &dyn Resolver) -> Option<bool> {
        let rest_segments = self
            .segments
            .get(self.prefix_segments..)
            .unwrap_or_default();
        if !has_prefix(text, &self.prefix) {
            return Some(false);
        }
        let Some(text) = text.get(self.prefix.len()..) else {
            return Some(false);
        };
        let mut result = true;
        let n = rest_segments.len();
        let mut parts = text.splitn(n, ':');
        for seg in rest_segments {
            let Some(part) = parts.next() else {
                return Some(false);
            };
            if result && !seg.matches(part, r)? {
                result = false;
            }
        }
        Some(result)
    }

    pub(crate) fn covers(&self, other: &ArnPattern) -> bool {
        if self.is_any() {
            return true;
        }
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.covers(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Syntax = Syntax {
        wildcards: true,
        variables: true,
        lowercase: false,
    };

    struct Vars;
    impl Resolver for Vars {
        fn var(&self, k: &str) -> Option<&str> {
            match k {
                "aws:username" => Some("alice"),
                "aws:principaltag/team" => Some("red"),
                _ => None,
            }
        }
    }

    fn m(p: &str, t: &str) -> bool {
        Pattern::compile(p, S).matches(t, &Vars).unwrap()
    }

    #[test]
    fn wildcards() {
        assert!(m("*", ""));
        assert!(m("a*b*c", "abc"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("a?c", "abc"));
        assert!(m("a?c", "aéc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*?", "x"));
        assert!(!m("*?", ""));
        assert!(m("ab*ba", "abba"));
        assert!(!m("ab*ba", "aba"));
        assert!(m("**a", "a"));
        assert!(m("a*?*b", "axb"));
        assert!(!m("a*?*b", "ab"));
    }

    #[test]
    fn variables_and_escapes() {
        assert!(m("home/${aws:username}/*", "home/alice/x"));
        assert!(!m("home/${aws:username}/*", "home/bob/x"));
        assert!(m("${aws:PrincipalTag/Team}", "red"));
        assert!(m("${*}${?}${$}", "*?$"));
        assert!(!m("${*}", "x"));
        assert_eq!(
            Pattern::compile("${aws:userid}", S).matches("x", &Vars),
            None
        );
        assert!(m("${aws:userid, 'none'}", "none"));
        assert!(m("${aws:username,'none'}", "alice"));
        assert!(m("${unterminated", "${unterminated"));
        let old = Syntax {
            variables: false,
            ..S
        };
        assert!(Pattern::compile("${aws:username}", old)
            .matches("${aws:username}", &Vars)
            .unwrap());
    }

    #[test]
    fn arn_segments() {
        let a = |p: &str, t: &str| ArnPattern::compile(p, S).matches(t, &Vars).unwrap();
        assert!(a("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b/c"));
        assert!(!a("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a"));
        assert!(a(
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
        ));
        // `*` in the region does not swallow the account component
        assert!(!a(
            "arn:aws:ec2:*:instance/*",
            "arn:aws:ec2:us-east-1:123:instance/i-1"
        ));
        assert!(a("arn:aws:iam::*", "arn:aws:iam::123:user/x"));
        assert!(a("*", "anything:at:all"));
        assert!(!a("arn:aws:s3:::b", "arn:aws:s3:::B"));
        assert!(a(
            "arn:aws:iam::${aws:username}:user/x",
            "arn:aws:iam::alice:user/x"
        ));
        assert!(a(
            "arn:aws:logs:*:*:log-group:g:*",
            "arn:aws:logs:r:1:log-group:g:log-stream:s"
        ));
    }
}
