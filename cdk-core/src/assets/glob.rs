//! Exclude patterns with the semantics aws-cdk-lib gives them: each pattern is matched by
//! `minimatch(relativePath, pattern, { matchBase: true, flipNegate: true })` (minimatch 10, the
//! version aws-cdk-lib 2.276 bundles).
//!
//! What that means, and what this module implements:
//! - the path is split on `/` (runs of `/` count as one) and so is the pattern, after brace
//!   expansion (`{a,b}`, `{1..3}`, `{a..c}`, nested groups);
//! - a pattern without `/` is matched against the file's name only (`matchBase`), so `*.pyc`
//!   and `node_modules` match at any depth; a pattern with a `/` is matched against the whole
//!   relative path, so `docs/*.md` matches only at the top and `/build` or `build/` match
//!   nothing (minimatch splits them into an empty first or last segment);
//! - `*` matches any run of characters within a segment, `?` one character, `[...]` a class
//!   (ranges, `!`/`^` negation, POSIX classes such as `[:digit:]`), `**` as a whole segment any
//!   number of segments; `\` escapes the next character;
//! - wildcards never match a name that starts with `.` (minimatch's `dot: false`): `*` does
//!   not match `.env`, `**` does not cross `.git`; a literal `.` at the start does (`.env`,
//!   `.*`);
//! - a pattern starting with `#` is a comment and matches nothing; leading `!`s are removed
//!   for matching (the caller decides what a negation means).
//!
//! Extended globs (`@(a|b)`, `!(x)`, `+(..)`, `*(..)`, `?(..)`) are not implemented: a
//! pattern using one is refused with an error rather than matched differently.

/// One segment of a pattern.
#[derive(Clone, Debug, PartialEq)]
enum Segment {
    /// Must equal the name.
    Literal(String),
    /// `**`: any number of segments, none starting with `.`.
    Globstar,
    /// A wildcard segment; `magic_start` is true when it starts with a wildcard or class
    /// (then a name starting with `.` never matches).
    Wild {
        tokens: Vec<Token>,
        magic_start: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    Any,
    Star,
    Class(Class),
}

#[derive(Clone, Debug, PartialEq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Clone, Debug, PartialEq)]
enum ClassItem {
    Range(char, char),
    Posix(&'static str),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let hit = self.items.iter().any(|item| match item {
            ClassItem::Range(a, b) => *a <= c && c <= *b,
            ClassItem::Posix(name) => posix(name, c),
        });
        hit != self.negated
    }
}

const POSIX: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

fn posix(name: &str, c: char) -> bool {
    match name {
        "alnum" => c.is_alphanumeric(),
        "alpha" => c.is_alphabetic(),
        "ascii" => c.is_ascii(),
        "blank" => c == ' ' || c == '\t' || c == '\u{a0}',
        "cntrl" => c.is_control(),
        "digit" => c.is_numeric(),
        // minimatch 10 maps graph to "separator or other" and print to "other" (sic).
        "graph" => c.is_whitespace() || c.is_control(),
        "print" => c.is_control(),
        "lower" => c.is_lowercase(),
        "punct" => c.is_ascii_punctuation(),
        "space" => c.is_whitespace(),
        "upper" => c.is_uppercase(),
        "word" => c.is_alphanumeric() || c == '_',
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// A compiled exclude pattern.
#[derive(Clone, Debug)]
pub(crate) struct Glob {
    /// One alternative per brace expansion; `None` for a comment or empty pattern.
    sets: Vec<Vec<Segment>>,
}

impl Glob {
    /// Compiles `pattern` (leading `!`s are ignored: negation is the caller's business).
    pub(crate) fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.starts_with('#') || pattern.is_empty() {
            return Ok(Glob { sets: Vec::new() });
        }
        let body = pattern.trim_start_matches('!');
        if body.is_empty() {
            // minimatch: `!` alone is the empty pattern, which matches only ''.
            return Ok(Glob { sets: Vec::new() });
        }
        let mut seen = Vec::new();
        for expanded in brace_expand(body) {
            if !seen.contains(&expanded) {
                seen.push(expanded);
            }
        }
        let mut sets = Vec::new();
        for alternative in seen {
            let parts: Vec<&str> = split_slashes(&alternative);
            let parts = level_one_optimize(parts);
            let mut segments = Vec::new();
            for part in parts {
                segments.push(parse_segment(part).map_err(|e| format!("'{pattern}': {e}"))?);
            }
            sets.push(segments);
        }
        Ok(Glob { sets })
    }

    /// True when the `/`-separated relative path matches (with minimatch's `matchBase`).
    pub(crate) fn matches(&self, path: &str) -> bool {
        let file: Vec<&str> = split_slashes(path);
        let basename = file
            .iter()
            .rev()
            .find(|s| !s.is_empty())
            .copied()
            .unwrap_or("");
        self.sets.iter().any(|set| {
            if set.len() == 1 {
                match_segments(&[basename], set)
            } else {
                match_segments(&file, set)
            }
        })
    }
}

fn split_slashes(s: &str) -> Vec<&str> {
    // JS `split(/\/+/)`: runs of slashes are one separator; leading/trailing give ''.
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        match rest.find('/') {
            Some(i) => {
                out.push(&rest[..i]);
                rest = rest[i..].trim_start_matches('/');
            }
            None => {
                out.push(rest);
                return out;
            }
        }
    }
}

/// minimatch's `levelOneOptimize`: drop repeated `**` and resolve `x/..`.
fn level_one_optimize(parts: Vec<&str>) -> Vec<&str> {
    let mut set: Vec<&str> = Vec::new();
    for part in parts {
        let prev = set.last().copied();
        if part == "**" && prev == Some("**") {
            continue;
        }
        if part == ".." {
            if let Some(p) = prev {
                if p != ".." && p != "." && p != "**" {
                    set.pop();
                    continue;
                }
            }
        }
        set.push(part);
    }
    if set.is_empty() {
        vec![""]
    } else {
        set
    }
}

fn parse_segment(part: &str) -> Result<Segment, String> {
    if part == "**" {
        return Ok(Segment::Globstar);
    }
    let chars: Vec<char> = part.chars().collect();
    let mut tokens = Vec::new();
    let mut magic = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '@' | '!' | '+' | '*' | '?') && chars.get(i + 1) == Some(&'(') {
            return Err(format!(
                "extended glob '{c}(...)' is not supported; use several patterns instead"
            ));
        }
        match c {
            '\\' => {
                match chars.get(i + 1) {
                    Some(&next) => tokens.push(Token::Char(next)),
                    None => tokens.push(Token::Char('\\')),
                }
                i += 2;
            }
            '*' => {
                if tokens.last() != Some(&Token::Star) {
                    tokens.push(Token::Star);
                }
                magic = true;
                i += 1;
            }
            '?' => {
                tokens.push(Token::Any);
                magic = true;
                i += 1;
            }
            '[' => match parse_class(&chars, i) {
                Some((token, consumed)) => {
                    if matches!(token, Token::Class(_)) {
                        magic = true;
                    }
                    tokens.push(token);
                    i += consumed;
                }
                None => {
                    tokens.push(Token::Char('['));
                    i += 1;
                }
            },
            _ => {
                tokens.push(Token::Char(c));
                i += 1;
            }
        }
    }
    if !magic {
        let literal: String = tokens
            .iter()
            .map(|t| match t {
                Token::Char(c) => *c,
                _ => unreachable!("no wildcard in a literal segment"),
            })
            .collect();
        return Ok(Segment::Literal(literal));
    }
    let magic_start = !matches!(tokens.first(), Some(Token::Char(_)));
    Ok(Segment::Wild {
        tokens,
        magic_start,
    })
}

/// Parses `[...]` at `chars[pos]`; `None` when it is not a class (no closing `]`). A class
/// of one plain character is that character (as minimatch simplifies it).
fn parse_class(chars: &[char], pos: usize) -> Option<(Token, usize)> {
    let mut items = Vec::new();
    let mut i = pos + 1;
    let mut saw_start = false;
    let mut escaping = false;
    let mut negated = false;
    let mut end = None;
    let mut range_start: Option<char> = None;
    'outer: while i < chars.len() {
        let c = chars[i];
        if (c == '!' || c == '^') && i == pos + 1 {
            negated = true;
            i += 1;
            continue;
        }
        if c == ']' && saw_start && !escaping {
            end = Some(i + 1);
            break;
        }
        saw_start = true;
        if c == '\\' && !escaping {
            escaping = true;
            i += 1;
            continue;
        }
        if c == '[' && !escaping {
            for name in POSIX {
                let class: Vec<char> = format!("[:{name}:]").chars().collect();
                if chars[i..].starts_with(&class) {
                    if range_start.is_some() {
                        // minimatch: a range ending in a POSIX class matches nothing.
                        return Some((
                            Token::Class(Class {
                                negated: false,
                                items: Vec::new(),
                            }),
                            chars.len() - pos,
                        ));
                    }
                    items.push(ClassItem::Posix(name));
                    i += class.len();
                    continue 'outer;
                }
            }
        }
        escaping = false;
        if let Some(start) = range_start.take() {
            if c >= start {
                items.push(ClassItem::Range(start, c));
            }
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2) == Some(&']') {
            items.push(ClassItem::Range(c, c));
            items.push(ClassItem::Range('-', '-'));
            i += 2;
            continue;
        }
        if chars.get(i + 1) == Some(&'-') {
            range_start = Some(c);
            i += 2;
            continue;
        }
        items.push(ClassItem::Range(c, c));
        i += 1;
    }
    let end = end?;
    if items.len() == 1 && !negated {
        if let ClassItem::Range(a, b) = items[0] {
            if a == b {
                return Some((Token::Char(a), end - pos));
            }
        }
    }
    Some((Token::Class(Class { negated, items }), end - pos))
}

fn match_segments(file: &[&str], pattern: &[Segment]) -> bool {
    match pattern.split_first() {
        None => file.is_empty(),
        Some((Segment::Globstar, rest)) => {
            // Zero or more segments, none of them a dot name.
            if rest.is_empty() {
                // A trailing `**` must consume at least one segment.
                return !file.is_empty() && file.iter().all(|f| !f.starts_with('.'));
            }
            for skip in 0..=file.len() {
                if match_segments(&file[skip..], rest) {
                    return true;
                }
                if skip < file.len() && file[skip].starts_with('.') {
                    return false;
                }
            }
            false
        }
        Some((segment, rest)) => match file.split_first() {
            Some((name, more)) => match_segment(name, segment) && match_segments(more, rest),
            None => false,
        },
    }
}

fn match_segment(name: &str, segment: &Segment) -> bool {
    match segment {
        Segment::Literal(text) => name == text,
        Segment::Globstar => false,
        Segment::Wild {
            tokens,
            magic_start,
        } => {
            if *magic_start && name.starts_with('.') {
                return false;
            }
            // A lone `*` does not match the empty name.
            if tokens.len() == 1 && tokens[0] == Token::Star && name.is_empty() {
                return false;
            }
            let chars: Vec<char> = name.chars().collect();
            match_tokens(&chars, tokens)
        }
    }
}

fn match_tokens(name: &[char], tokens: &[Token]) -> bool {
    match tokens.split_first() {
        None => name.is_empty(),
        Some((Token::Star, rest)) => (0..=name.len()).any(|i| match_tokens(&name[i..], rest)),
        Some((token, rest)) => match name.split_first() {
            Some((&c, more)) => {
                let hit = match token {
                    Token::Char(t) => *t == c,
                    Token::Any => true,
                    Token::Class(class) => class.matches(c),
                    Token::Star => unreachable!(),
                };
                hit && match_tokens(more, rest)
            }
            None => false,
        },
    }
}

/// Brace expansion as the `brace-expansion` package does it for the common forms: comma
/// sets (`{a,b}`, nested), numeric sequences (`{1..5}`, `{01..10}`, `{1..9..2}`) and letter
/// sequences (`{a..e}`); a group that is neither stays literal.
fn brace_expand(pattern: &str) -> Vec<String> {
    // minimatch only expands when there is a `{...}` with no `{` inside.
    if !has_simple_brace_group(pattern) {
        return vec![pattern.to_string()];
    }
    let mut out = expand(pattern, true);
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn has_simple_brace_group(s: &str) -> bool {
    let mut open = None;
    for (i, c) in s.char_indices() {
        match c {
            '{' => open = Some(i),
            '}' if open.is_some() => return true,
            _ => {}
        }
    }
    false
}

/// The first balanced `{...}` group not escaped: (pre, body, post).
fn balanced(s: &str) -> Option<(&str, &str, &str)> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let s0 = start?;
                    return Some((&s[..s0], &s[s0 + 1..i], &s[i + 1..]));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn split_commas(body: &str) -> Vec<&str> {
    let bytes = body.as_bytes();
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(&body[last..i]);
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&body[last..]);
    parts
}

/// `x`, `x ± step`, … up to and including `y` (at most 100,000 values).
fn stepped(x: i64, y: i64, step: i64) -> Option<Vec<i64>> {
    let count = (x - y).unsigned_abs() / step.unsigned_abs().max(1) + 1;
    if count > 100_000 {
        return None;
    }
    let step = if x <= y { step } else { -step };
    Some((0..count as i64).map(|i| x + i * step).collect())
}

fn sequence(body: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = body.split("..").collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => s.parse::<i64>().ok()?.abs().max(1),
        None => 1,
    };
    let numeric = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let letter = |s: &str| s.len() == 1 && s.as_bytes()[0].is_ascii_alphabetic();
    let (a, b) = (parts[0], parts[1]);
    if numeric(a) && numeric(b) {
        let padded = |s: &str| {
            let d = s.strip_prefix('-').unwrap_or(s);
            d.len() > 1 && d.starts_with('0')
        };
        let width = if padded(a) || padded(b) {
            a.len().max(b.len())
        } else {
            0
        };
        let values = stepped(a.parse().ok()?, b.parse().ok()?, step)?;
        return Some(
            values
                .into_iter()
                .map(|v| {
                    if width > 0 {
                        let w = if v < 0 { width - 1 } else { width };
                        let sign = if v < 0 { "-" } else { "" };
                        format!("{sign}{:0>w$}", v.abs())
                    } else {
                        v.to_string()
                    }
                })
                .collect(),
        );
    }
    if letter(a) && letter(b) {
        let values = stepped(a.as_bytes()[0] as i64, b.as_bytes()[0] as i64, step)?;
        return Some(
            values
                .into_iter()
                .map(|v| v as u8 as char)
                .filter(|c| *c != '\\')
                .map(String::from)
                .collect(),
        );
    }
    None
}

fn expand(s: &str, top: bool) -> Vec<String> {
    let Some((pre, body, post)) = balanced(s) else {
        return vec![s.to_string()];
    };
    let post_expanded = expand(post, false);
    let values: Vec<String> = if let Some(seq) = sequence(body) {
        seq
    } else if split_commas(body).len() > 1 {
        split_commas(body)
            .into_iter()
            .flat_map(|part| expand(part, false))
            .collect()
    } else {
        // Not expandable: literal braces, the rest still expands.
        return post_expanded
            .into_iter()
            .map(|p| format!("{pre}{{{body}}}{p}"))
            .collect();
    };
    let is_sequence = sequence(body).is_some();
    let mut out = Vec::new();
    for v in &values {
        for p in &post_expanded {
            let text = format!("{pre}{v}{p}");
            if top && !is_sequence && text.is_empty() {
                continue;
            }
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        Glob::new(pattern).unwrap().matches(path)
    }

    #[test]
    fn base_names_and_paths() {
        assert!(m("*.pyc", "a.pyc"));
        assert!(m("*.pyc", "lib/a.pyc"));
        assert!(m("node_modules", "x/node_modules"));
        assert!(m("docs/*.md", "docs/a.md"));
        assert!(!m("docs/*.md", "docs/sub/a.md"));
        assert!(!m("/build", "build"));
        assert!(!m("build/", "build"));
        assert!(m("docs/**", "docs/a/b.md"));
        assert!(m("**/*.md", "a.md"));
    }

    #[test]
    fn dots_are_not_matched_by_wildcards() {
        assert!(!m("*", ".env"));
        assert!(m(".*", ".env"));
        assert!(m(".env", "lib/.env"));
        assert!(!m("**/x", ".git/x"));
        assert!(!m("?env", ".env"));
    }

    #[test]
    fn braces_classes_comments() {
        assert!(m("*.{js,ts}", "a.ts"));
        assert!(m("file{1..3}.txt", "file2.txt"));
        assert!(!m("file{1..3}.txt", "file4.txt"));
        // Checked with minimatch 10 (aws-cdk-lib 2.276's).
        assert!(m("f{01..03}", "f02"));
        assert!(!m("f{01..03}", "f2"));
        assert!(m("{a..e..2}.txt", "c.txt"));
        assert!(!m("{a..e..2}.txt", "b.txt"));
        assert!(m("x{10..1..4}", "x6"));
        assert!(m("x{10..1..4}", "x2"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(!m("#comment", "#comment"));
        assert!(m("\\*", "*"));
        assert!(Glob::new("@(a|b)").is_err());
    }
}
