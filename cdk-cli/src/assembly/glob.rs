//! A tiny glob matcher for stack patterns (the subset of minimatch the cdk CLI's users rely on).
//!
//! `*` matches any run of characters except `/`, `**` matches any run including `/`, `?` matches
//! one character except `/`; everything else matches itself.

/// Whether `pattern` contains glob syntax.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether `text` matches the glob `pattern` as a whole.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_from(&p, &t)
}

fn match_from(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => {
            let double = p.get(1) == Some(&'*');
            let rest = if double { &p[2..] } else { &p[1..] };
            // Try every split point, never crossing `/` for a single star.
            for i in 0..=t.len() {
                if match_from(rest, &t[i..]) {
                    return true;
                }
                if i < t.len() && !double && t[i] == '/' {
                    return false;
                }
            }
            false
        }
        Some('?') => matches!(t.first(), Some(c) if *c != '/') && match_from(&p[1..], &t[1..]),
        Some(c) => t.first() == Some(c) && match_from(&p[1..], &t[1..]),
    }
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
        assert!(matches("**/Api", "A/B/Api"));
        assert!(matches("**", "A/B"));
        assert!(matches("*Api*", "MyApiStack"));
        assert!(!matches("Api", "MyApi"));
    }

    #[test]
    fn question_mark_is_one_char() {
        assert!(matches("Stack?", "Stack1"));
        assert!(!matches("Stack?", "Stack12"));
        assert!(!matches("a?b", "a/b"));
    }

    #[test]
    fn detects_globs() {
        assert!(is_glob("Dev*"));
        assert!(!is_glob("Dev"));
    }
}
