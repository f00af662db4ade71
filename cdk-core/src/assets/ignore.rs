//! The `git` and `docker` ignore modes of exclude patterns, as aws-cdk-lib 2.276 reads them:
//! `GitIgnoreStrategy` (the npm `ignore` package 5.3: `.gitignore` rules, case-insensitive)
//! and `DockerIgnoreStrategy` (`@balena/dockerignore` 1.0: Docker's `.dockerignore` rules,
//! case-insensitive). Each pattern is translated to a regular expression the same way those
//! packages translate it; a pattern whose translation is not a valid regular expression here
//! (a few JavaScript-only forms, e.g. `[[]`) is refused with an error rather than matched
//! differently.

use regex::Regex;

// ---------------------------------------------------------------------------------------
// git (npm `ignore`)

/// A `.gitignore`-style rule set.
#[derive(Debug)]
pub(crate) struct GitIgnore {
    rules: Vec<(Regex, bool)>,
}

fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

impl GitIgnore {
    pub(crate) fn new(patterns: &[String]) -> Result<GitIgnore, String> {
        let mut rules = Vec::new();
        for pattern in patterns {
            if !check_git_pattern(pattern) {
                continue;
            }
            let (negative, body) = match pattern.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, pattern.as_str()),
            };
            let body = if let Some(rest) = body.strip_prefix("\\!") {
                format!("!{rest}")
            } else if let Some(rest) = body.strip_prefix("\\#") {
                format!("#{rest}")
            } else {
                body.to_string()
            };
            let source = git_regex_source(&body);
            let rust = source
                .replace("(?=$|\\/$)", "(?:$|\\/$)")
                .replace("[]", "[^\\s\\S]");
            let regex = Regex::new(&format!("(?i){rust}"))
                .map_err(|e| format!("'{pattern}' (git ignore mode): {e}"))?;
            rules.push((regex, negative));
        }
        Ok(GitIgnore { rules })
    }

    /// `ignore().add(patterns).ignores(path)`: a path is ignored when a parent directory is
    /// (tested as `dir/`), else by its own rules.
    pub(crate) fn ignores(&self, path: &str) -> bool {
        let slices: Vec<&str> = path.split('/').collect();
        self.test(path, slices).0
    }

    fn test(&self, path: &str, mut slices: Vec<&str>) -> (bool, bool) {
        slices.pop();
        if slices.is_empty() {
            return self.test_one(path);
        }
        let parent_path = format!("{}/", slices.join("/"));
        let parent = self.test(&parent_path, slices);
        if parent.0 {
            parent
        } else {
            self.test_one(path)
        }
    }

    /// `_testOne(path, checkUnignored = false)`.
    fn test_one(&self, path: &str) -> (bool, bool) {
        let (mut ignored, mut unignored) = (false, false);
        for (regex, negative) in &self.rules {
            let negative = *negative;
            if (unignored == negative && ignored != unignored)
                || (negative && !ignored && !unignored)
            {
                continue;
            }
            if regex.is_match(path) {
                ignored = !negative;
                unignored = negative;
            }
        }
        (ignored, unignored)
    }
}

/// `checkPattern`: not empty, not blank, no single trailing backslash, not a comment.
fn check_git_pattern(pattern: &str) -> bool {
    if pattern.is_empty() || pattern.chars().all(is_js_space) || pattern.starts_with('#') {
        return false;
    }
    // REGEX_INVALID_TRAILING_BACKSLASH = /(?:[^\\]|^)\\$/
    let trailing = pattern.len() - pattern.trim_end_matches('\\').len();
    trailing != 1
}

const GIT_METACHARS: &[char] = &['\\', '$', '.', '|', '*', '+', '(', ')', '{', '^'];

/// The npm `ignore` package's `makeRegex` source for one pattern: its replacers, in order.
fn git_regex_source(pattern: &str) -> String {
    let mut s: String = pattern
        .strip_prefix('\u{feff}')
        .unwrap_or(pattern)
        .to_string();

    // Trailing spaces are ignored unless escaped: /((?:\\\\)*?)(\\?\s+)$/
    let trimmed_len = s.trim_end_matches(is_js_space).len();
    if trimmed_len < s.len() {
        let before = &s[..trimmed_len];
        let backslashes = before.len() - before.trim_end_matches('\\').len();
        let keep = &s[..trimmed_len - backslashes];
        let pairs = "\\".repeat(backslashes - backslashes % 2);
        let space = if backslashes % 2 == 1 { " " } else { "" };
        s = format!("{keep}{pairs}{space}");
    }

    // (\ ) -> ' ': /(\\+?)\s/g
    {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' {
                let mut j = i;
                while j < chars.len() && chars[j] == '\\' {
                    j += 1;
                }
                if j < chars.len() && is_js_space(chars[j]) {
                    let run = j - i;
                    out.push_str(&"\\".repeat(run - run % 2));
                    out.push(' ');
                    i = j + 1;
                    continue;
                }
                out.extend(&chars[i..j]);
                i = j;
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        s = out;
    }

    // Escape metacharacters.
    s = s
        .chars()
        .flat_map(|c| {
            if GIT_METACHARS.contains(&c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    // `?` matches one character.
    s = s.replace('?', "[^/]");
    // A leading slash matches the beginning of the path.
    if let Some(rest) = s.strip_prefix('/') {
        s = format!("^{rest}");
    }
    s = s.replace('/', "\\/");
    // A leading `**/` matches in all directories: /^\^*\\\*\\\*\\\//
    {
        let carets = s.len() - s.trim_start_matches('^').len();
        if s[carets..].starts_with("\\*\\*\\/") {
            s = format!("^(?:.*\\/)?{}", &s[carets + 6..]);
        }
    }
    // Starting: /^(?=[^^])/
    if !s.is_empty() && !s.starts_with('^') {
        let chars: Vec<char> = pattern.chars().collect();
        let slash_not_at_end = chars
            .iter()
            .enumerate()
            .any(|(i, c)| *c == '/' && i + 1 < chars.len());
        let prefix = if slash_not_at_end { "^" } else { "(?:^|\\/)" };
        s = format!("{prefix}{s}");
    }
    // Two globstars: /\\\/\\\*\\\*(?=\\\/|$)/g
    {
        let needle = "\\/\\*\\*";
        let mut out = String::new();
        let mut i = 0;
        while i < s.len() {
            if s[i..].starts_with(needle) {
                let after = i + needle.len();
                if after == s.len() || s[after..].starts_with("\\/") {
                    out.push_str(if i + 6 < s.len() {
                        "(?:\\/[^\\/]+)*"
                    } else {
                        "\\/.+"
                    });
                    i = after;
                    continue;
                }
            }
            let c = s[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
        s = out;
    }
    // Intermediate wildcards: /(^|[^\\]+)(\\\*)+(?=.+)/g
    s = intermediate_wildcards(&s);
    // /\\\\\\(?=[$.|*+(){^])/g -> '\'
    {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if i + 3 < chars.len()
                && chars[i..i + 3] == ['\\', '\\', '\\']
                && "$.|*+(){^".contains(chars[i + 3])
            {
                out.push('\\');
                i += 3;
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        s = out;
    }
    // '\\\\' -> '\\'
    s = s.replace("\\\\", "\\");
    // Ranges: /(\\)?\[([^\]/]*?)(\\*)($|\])/g
    s = ranges(&s);
    // Ending.
    if let Some(last) = s.chars().last() {
        if last != '*' {
            if last == '/' {
                s.push('$');
            } else {
                s.push_str("(?=$|\\/$)");
            }
        }
    }
    // Trailing wildcard: /(\^|\\\/)?\\\*$/
    if let Some(head) = s.strip_suffix("\\*") {
        let (head, prefix) = if let Some(h) = head.strip_suffix('^') {
            (h.to_string(), "^[^/]+".to_string())
        } else if let Some(h) = head.strip_suffix("\\/") {
            (h.to_string(), "\\/[^/]+".to_string())
        } else {
            (head.to_string(), "[^/]*".to_string())
        };
        s = format!("{head}{prefix}(?=$|\\/$)");
    }
    s
}

fn intermediate_wildcards(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    // Stars (`\*` pairs) at `r`, backtracked so that at least one character follows.
    let stars_at = |r: usize| -> usize {
        let mut k = 0;
        while r + 2 * k + 1 < n && chars[r + 2 * k] == '\\' && chars[r + 2 * k + 1] == '*' {
            k += 1;
        }
        if k > 0 && r + 2 * k >= n {
            k -= 1;
        }
        k
    };
    let mut out = String::new();
    let mut pos = 0;
    let mut p = 0;
    while p < n {
        // Alternative `^`, at the start only.
        let mut matched = None;
        if p == 0 {
            let k = stars_at(0);
            if k > 0 {
                matched = Some((0, 0, k));
            }
        }
        if matched.is_none() && chars[p] != '\\' {
            let mut q = p;
            while q < n && chars[q] != '\\' {
                q += 1;
            }
            let k = stars_at(q);
            if k > 0 {
                matched = Some((p, q, k));
            }
        }
        match matched {
            Some((start, stars, k)) => {
                out.extend(&chars[pos..start]);
                out.extend(&chars[start..stars]);
                for _ in 0..k {
                    out.push_str("[^\\/]*");
                }
                pos = stars + 2 * k;
                p = pos;
            }
            None => p += 1,
        }
    }
    out.extend(&chars[pos..]);
    out
}

fn sanitize_range(range: &str) -> String {
    // /([0-z])-([0-z])/g: drop out-of-order ranges.
    let chars: Vec<char> = range.chars().collect();
    let in_set = |c: char| ('0'..='z').contains(&c);
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && in_set(chars[i]) && chars[i + 1] == '-' && in_set(chars[i + 2]) {
            if chars[i] <= chars[i + 2] {
                out.extend(&chars[i..i + 3]);
            }
            i += 3;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn ranges(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = String::new();
    let mut i = 0;
    'scan: while i < n {
        let lead = chars[i] == '\\' && i + 1 < n && chars[i + 1] == '[';
        let open = if lead { i + 1 } else { i };
        if chars[open] == '[' {
            // Lazy content, then a run of backslashes, then end or `]`.
            let mut c = open + 1;
            loop {
                let mut e = c;
                while e < n && chars[e] == '\\' {
                    e += 1;
                }
                if e == n || chars[e] == ']' {
                    let range: String = chars[open + 1..c].iter().collect();
                    let escapes = e - c;
                    let close = e < n;
                    if lead {
                        out.push_str("\\[");
                        out.push_str(&range);
                        out.push_str(&"\\".repeat(escapes - escapes % 2));
                        if close {
                            out.push(']');
                        }
                    } else if close && escapes % 2 == 0 {
                        out.push('[');
                        out.push_str(&sanitize_range(&range));
                        out.push_str(&"\\".repeat(escapes));
                        out.push(']');
                    } else {
                        out.push_str("[]");
                    }
                    i = if close { e + 1 } else { e };
                    continue 'scan;
                }
                if c < n && chars[c] != ']' && chars[c] != '/' {
                    c += 1;
                } else {
                    break;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// docker (`@balena/dockerignore`)

#[derive(Debug)]
struct DockerRule {
    regex: Regex,
    dirs: Vec<String>,
    negative: bool,
}

/// A `.dockerignore`-style rule set.
#[derive(Debug)]
pub(crate) struct DockerIgnore {
    rules: Vec<DockerRule>,
}

/// Node's `path.posix.normalize`.
fn normalize(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let absolute = path.starts_with('/');
    let trailing = path.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if out.is_empty() && !absolute {
        out = ".".into();
    }
    if !out.is_empty() && trailing && out != "." {
        out.push('/');
    } else if out == "." && trailing {
        out = "./".into();
    }
    if absolute {
        format!("/{out}")
    } else {
        out
    }
}

/// `cleanPath`: normalise, then drop a trailing `/` that follows something.
fn clean_path(path: &str) -> String {
    let mut p = normalize(path);
    if p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    p
}

/// Node's `path.posix.dirname`.
fn dirname(path: &str) -> String {
    let trimmed = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    match trimmed.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let head = trimmed[..i].trim_end_matches('/');
            if head.is_empty() {
                "/".into()
            } else {
                head.to_string()
            }
        }
    }
}

fn docker_regex(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '*' {
            if chars.get(i + 1) == Some(&'*') {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                }
                if chars.get(i + 1).is_none() {
                    re.push_str(".*");
                } else {
                    re.push_str("(.*/)?");
                }
            } else {
                re.push_str("[^/]*");
            }
        } else if ch == '?' {
            re.push_str("[^/]");
        } else if ch == '.' || ch == '$' {
            re.push('\\');
            re.push(ch);
        } else if ch == '\\' {
            match chars.get(i + 1) {
                Some(next) => {
                    re.push('\\');
                    re.push(*next);
                    i += 1;
                }
                None => re.push('\\'),
            }
        } else {
            re.push(ch);
        }
        i += 1;
    }
    re.push('$');
    re
}

impl DockerIgnore {
    pub(crate) fn new(patterns: &[String]) -> Result<DockerIgnore, String> {
        let mut rules = Vec::new();
        for raw in patterns {
            if raw.is_empty() || raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let mut pattern = raw.trim().to_string();
            let mut negative = false;
            if let Some(rest) = pattern.strip_prefix('!') {
                negative = true;
                pattern = rest.trim().to_string();
            }
            if !pattern.is_empty() {
                pattern = clean_path(&pattern);
                if pattern.len() > 1 && pattern.starts_with('/') {
                    pattern.remove(0);
                }
            }
            if negative {
                pattern = format!("!{pattern}");
            }
            let pattern = pattern.trim().to_string();
            if pattern.is_empty() {
                continue;
            }
            let mut pattern = clean_path(&pattern);
            if let Some(rest) = pattern.strip_prefix('!') {
                if rest.is_empty() {
                    continue;
                }
                negative = true;
                pattern = rest.to_string();
            } else {
                negative = false;
            }
            let regex = Regex::new(&format!("(?i){}", docker_regex(&pattern)))
                .map_err(|e| format!("'{raw}' (docker ignore mode): {e}"))?;
            rules.push(DockerRule {
                regex,
                dirs: pattern.split('/').map(str::to_string).collect(),
                negative,
            });
        }
        Ok(DockerIgnore { rules })
    }

    /// `ignores(path)`: the last matching rule decides; a rule also matches through the
    /// path's parent directories.
    pub(crate) fn ignores(&self, file: &str) -> bool {
        if file.is_empty() {
            return true;
        }
        let parent = clean_path(&dirname(file));
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for rule in &self.rules {
            let mut hit = rule.regex.is_match(file);
            if !hit && parent != "." {
                if rule.dirs.iter().any(|d| d == "**") {
                    let from = rule.dirs.iter().filter(|d| *d != "**").count();
                    for i in from..=parent_dirs.len() {
                        hit = hit || rule.regex.is_match(&parent_dirs[..i].join("/"));
                    }
                } else if rule.dirs.len() <= parent_dirs.len() {
                    hit = rule
                        .regex
                        .is_match(&parent_dirs[..rule.dirs.len()].join("/"));
                }
            }
            if hit {
                matched = !rule.negative;
            }
        }
        matched
    }
}

/// aws-cdk-lib's `DockerIgnoreStrategy`: the rules, plus for "completely ignored"
/// directories the parents of re-included paths.
#[derive(Debug)]
pub(crate) struct DockerStrategy {
    ignore: DockerIgnore,
    complete: DockerIgnore,
}

impl DockerStrategy {
    pub(crate) fn new(patterns: &[String]) -> Result<DockerStrategy, String> {
        let mut complete = Vec::new();
        for pattern in patterns {
            complete.push(pattern.clone());
            // /^\s*(\!|\/\!)(.*)/
            let trimmed = pattern.trim_start();
            let (bang, rest) = if let Some(r) = trimmed.strip_prefix('!') {
                ("!", r)
            } else if let Some(r) = trimmed.strip_prefix("/!") {
                ("/!", r)
            } else {
                continue;
            };
            let mut dir = rest.to_string();
            loop {
                dir = dirname(&dir);
                if dir == "/" || dir == "." {
                    break;
                }
                complete.push(format!("{bang}{dir}"));
            }
        }
        Ok(DockerStrategy {
            ignore: DockerIgnore::new(patterns)?,
            complete: DockerIgnore::new(&complete)?,
        })
    }

    pub(crate) fn ignores(&self, rel: &str) -> bool {
        self.ignore.ignores(rel)
    }

    pub(crate) fn completely_ignores(&self, rel: &str) -> bool {
        self.ignore.ignores(rel) && self.complete.ignores(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_sources_as_the_ignore_package_writes_them() {
        assert_eq!(git_regex_source("*.js"), "(?:^|\\/)[^\\/]*\\.js(?=$|\\/$)");
        assert_eq!(git_regex_source("/build"), "^build(?=$|\\/$)");
        assert_eq!(git_regex_source("logs/"), "(?:^|\\/)logs\\/$");
    }

    #[test]
    fn node_path_helpers() {
        assert_eq!(normalize("a//b/../c/"), "a/c/");
        assert_eq!(normalize("/../a"), "/a");
        assert_eq!(normalize("../a"), "../a");
        assert_eq!(dirname("a/b/c"), "a/b");
        assert_eq!(dirname("a"), ".");
        assert_eq!(dirname("/a"), "/");
    }
}
