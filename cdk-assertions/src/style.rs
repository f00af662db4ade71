//! Colour in failure reports: only when stderr (where test panics go) is a terminal and
//! `NO_COLOR` is not set.

use std::io::IsTerminal;
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
    })
}

fn paint(style: Style, text: &str) -> String {
    if enabled() {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// Emphasis (logical IDs, paths).
pub(crate) fn bold(text: &str) -> String {
    paint(Style::new().bold(), text)
}

/// A mismatch message.
pub(crate) fn failure(text: &str) -> String {
    paint(Style::new().fg_color(Some(AnsiColor::Red.into())), text)
}

/// A rendered value: its `!!` marker lines in red.
pub(crate) fn mismatch(text: &str) -> String {
    if !enabled() {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| {
            if line.starts_with("!!") {
                failure(line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` without ANSI escape sequences.
pub(crate) fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
