//! Glob patterns for stack selection, with the semantics of the picomatch patterns the cdk CLI
//! matches hierarchical stack IDs (`PipelineStack/Dev/Application`) against:
//!
//! - `*` matches any run of characters within one path segment (never `/`);
//! - `**` as a whole segment matches any number of segments, none included: `Prod/**` matches
//!   `Prod` and everything below it, `**/Api` matches `Api` and `A/B/Api`, `**` matches
//!   everything (elsewhere in a segment, `**` is `*`);
//! - `?` matches one character other than `/`;
//! - `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]` match one character of (or not of) a class;
//! - `{a,b}` matches either alternative (nesting allowed);
//! - `\x` matches `x` literally.
//!
//! A leading `!` (exclusion) is not handled here but by the selection
//! ([`Assembly::select`](super::Assembly::select)).

/// Whether `pattern` contains glob syntax (otherwise it is compared literally).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{', '\\'])
}

/// Whether `text` matches the glob `pattern` as a whole.
pub fn matches(pattern: &str, text: &str) -> bool {
    let text: Vec<&str> = text.split('/').collect();
    expand_braces(pattern).iter().any(|p| {
        let segments: Vec<&str> = p.split('/').collect();
        match_segments(&segments, &text)
    })
}

/// Matches pattern segments against text segments; `**` segments match zero or more segments.
fn match_segments(pattern: &[&str], text: &[&str]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((&"**", rest)) => (0..=text.len()).any(|skip| match_segments(rest, &text[skip..])),
        Some((first, rest)) => match text.split_first() {
            Some((t, text_rest)) => {
                let p: Vec<char> = first.chars().collect();
                let t: Vec<char> = t.chars().collect();
                match_segment(&p, &t) && match_segments(rest, text_rest)
            }
            None => false,
        },
    }
}

/// Matches one segment (no `/` on either side).
fn match_segment(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => {
            let rest = &p[p.iter().take_while(|&&c| c == '*').count()..];
            (0..=t.len()).any(|i| match_segment(rest, &t[i..]))
        }
        Some('?') => !t.is_empty() && match_segment(&p[1..], &t[1..]),
        Some('[') => match class(&p[1..]) {
            Some((matcher, used)) => {
                matches!(t.first(), Some(&c) if matcher.contains(c))
                    && match_segment(&p[1 + used..], &t[1..])
            }
            // An unclosed `[` is a literal character.
            None => t.first() == Some(&'[') && match_segment(&p[1..], &t[1..]),
        },
        Some('\\') if p.len() > 1 => t.first() == Some(&p[1]) && match_segment(&p[2..], &t[1..]),
        Some(c) => t.first() == Some(c) && match_segment(&p[1..], &t[1..]),
    }
}

/// A character class `[...]`.
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        c != '/' && self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// Parses a class after its `[`: the class and the number of characters used, `]` included.
fn class(p: &[char]) -> Option<(Class, usize)> {
    let mut i = 0;
    let negated = matches!(p.first(), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < p.len() {
        let c = p[i];
        if c == ']' && !first {
            return Some((Class { negated, ranges }, i + 1));
        }
        first = false;
        let c = if c == '\\' && i + 1 < p.len() {
            i += 1;
            p[i]
        } else {
            c
        };
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            ranges.push((c, p[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

/// Expands `{a,b}` alternatives (recursively); a brace group without a top-level comma, or
/// without its closing brace, stays literal.
fn expand_braces(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '{' => {
                if let Some((end, alternatives)) = brace_group(&chars, i) {
                    let prefix: String = chars[..i].iter().collect();
                    let suffix: String = chars[end + 1..].iter().collect();
                    return alternatives
                        .iter()
                        .flat_map(|alt| expand_braces(&format!("{prefix}{alt}{suffix}")))
                        .collect();
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    vec![pattern.to_string()]
}

/// The group opening at `start`: the index of its closing brace and its alternatives, when it
/// closes and has a comma at its own level.
fn brace_group(chars: &[char], start: usize) -> Option<(usize, Vec<String>)> {
    let mut depth = 0;
    let mut alternatives = Vec::new();
    let mut current = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                current.push(c);
                current.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '{' => depth += 1,
            '}' if depth == 0 => {
                alternatives.push(current);
                return (alternatives.len() > 1).then_some((i, alternatives));
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                alternatives.push(std::mem::take(&mut current));
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_does_not_cross_slash() {
        assert!(matches("Dev*", "DevApi"));
        assert!(matches("Dev*", "Dev"));
        assert!(!matches("Dev*", "Dev/Api"));
        assert!(matches("*/Api", "Stage/Api"));
        assert!(!matches("*/Api", "A/B/Api"));
        assert!(matches("*Api*", "MyApiStack"));
        assert!(!matches("Api", "MyApi"));
        assert!(matches("Pipe**", "PipelineStack"));
        assert!(!matches("Pipe**", "PipelineStack/Dev"));
    }

    #[test]
    fn globstar_matches_any_number_of_segments() {
        assert!(matches("**", "A"));
        assert!(matches("**", "A/B/C"));
        assert!(matches("**/Api", "A/B/Api"));
        assert!(matches("**/Api", "Api"));
        // As picomatch: a trailing `/**` matches the parent itself (`cdk ls 'PipelineStack/**'`
        // lists `PipelineStack` too).
        assert!(matches("PipelineStack/**", "PipelineStack"));
        assert!(matches("PipelineStack/**", "PipelineStack/Dev/Application"));
        assert!(!matches("PipelineStack/**", "PipelineStackTwo"));
        assert!(matches("A/**/C", "A/C"));
        assert!(matches("A/**/C", "A/B/B/C"));
        assert!(!matches("A/**/C", "A/B/D"));
        assert!(matches(
            "PipelineStack/*/Application",
            "PipelineStack/Dev/Application"
        ));
        assert!(!matches("PipelineStack/Prod/*", "PipelineStack/Prod"));
    }

    #[test]
    fn question_mark_is_one_char() {
        assert!(matches("Stack?", "Stack1"));
        assert!(!matches("Stack?", "Stack12"));
        assert!(!matches("a?b", "a/b"));
    }

    #[test]
    fn classes_braces_and_escapes() {
        assert!(matches("Stack[12]", "Stack2"));
        assert!(!matches("Stack[12]", "Stack3"));
        assert!(matches("Stack[a-c]", "Stackb"));
        assert!(matches("Stack[!a-c]", "Stackd"));
        assert!(!matches("Stack[^a-c]", "Stackb"));
        assert!(matches("Stack[]]", "Stack]"));
        assert!(matches("Stack[", "Stack["));
        assert!(matches(
            "PipelineStack/{Dev,Prod}/*",
            "PipelineStack/Prod/Api"
        ));
        assert!(!matches(
            "PipelineStack/{Dev,Prod}/*",
            "PipelineStack/Beta/Api"
        ));
        assert!(matches("{A,B{1,2}}", "B2"));
        assert!(matches("{A}", "{A}"));
        assert!(matches("a\\*", "a*"));
        assert!(!matches("a\\*", "ab"));
    }

    #[test]
    fn detects_globs() {
        assert!(is_glob("Dev*"));
        assert!(is_glob("{Dev,Prod}/*"));
        assert!(!is_glob("Dev"));
        assert!(!is_glob("Dev/Api"));
    }
}
