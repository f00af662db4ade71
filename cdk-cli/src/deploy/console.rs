//! Output of long-running operations: worker threads send lines through a [`Printer`]; the
//! calling thread owns the real writers and prints them ([`with_console`]). On a terminal a live
//! status line (one per running stack, joined) is kept under the printed lines.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc::{channel, Sender};

use anstyle::{AnsiColor, Style};

/// Green.
pub const GREEN: Style = AnsiColor::Green.on_default();
/// Red.
pub const RED: Style = AnsiColor::Red.on_default();
/// Yellow.
pub const YELLOW: Style = AnsiColor::Yellow.on_default();
/// Bold.
pub const BOLD: Style = Style::new().bold();

enum Msg {
    Err(String),
    Out(String),
    Status(String, Option<String>),
}

/// Sends output to the console thread. Cheap to clone; usable from any thread.
#[derive(Clone)]
pub struct Printer {
    tx: Sender<Msg>,
    color: bool,
}

impl Printer {
    /// A diagnostic / progress line (stderr).
    pub fn line(&self, text: impl Into<String>) {
        let _ = self.tx.send(Msg::Err(text.into()));
    }

    /// A data line (stdout), e.g. stack outputs.
    pub fn out(&self, text: impl Into<String>) {
        let _ = self.tx.send(Msg::Out(text.into()));
    }

    /// A warning line (stderr).
    pub fn warn(&self, text: impl AsRef<str>) {
        let label = self.paint(YELLOW.bold(), "warning");
        self.line(format!("{label}: {}", text.as_ref()));
    }

    /// Sets (or with `None` clears) the live status of `key` (e.g. a stack name). Shown only on
    /// a terminal.
    pub fn status(&self, key: &str, text: Option<String>) {
        let _ = self.tx.send(Msg::Status(key.to_string(), text));
    }

    /// `text` in `style` when colours are on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// Whether colours are on.
    pub fn color(&self) -> bool {
        self.color
    }
}

/// How the console shows progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConsoleMode {
    /// Colour the statuses.
    pub color: bool,
    /// Keep a live status line at the bottom (a terminal).
    pub live: bool,
}

struct Console<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    live: bool,
    statuses: BTreeMap<String, String>,
    status_shown: bool,
}

const STATUS_WIDTH: usize = 110;

impl Console<'_> {
    fn clear_status(&mut self) -> io::Result<()> {
        if self.status_shown {
            write!(self.err, "\r\x1b[2K")?;
            self.status_shown = false;
        }
        Ok(())
    }

    fn draw_status(&mut self) -> io::Result<()> {
        if !self.live || self.statuses.is_empty() {
            return Ok(());
        }
        let text: String = self
            .statuses
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ");
        let text: String = text.chars().take(STATUS_WIDTH).collect();
        write!(self.err, "{text}")?;
        self.err.flush()?;
        self.status_shown = true;
        Ok(())
    }

    fn handle(&mut self, msg: Msg) -> io::Result<()> {
        match msg {
            Msg::Err(line) => {
                self.clear_status()?;
                writeln!(self.err, "{line}")?;
                self.draw_status()
            }
            Msg::Out(line) => {
                self.clear_status()?;
                self.err.flush()?;
                writeln!(self.out, "{line}")?;
                self.out.flush()?;
                self.draw_status()
            }
            Msg::Status(key, text) => {
                match text {
                    Some(t) => self.statuses.insert(key, t),
                    None => self.statuses.remove(&key),
                };
                if self.live {
                    self.clear_status()?;
                    self.draw_status()?;
                }
                Ok(())
            }
        }
    }
}

/// Runs `work` on a scoped thread with a [`Printer`] while this thread prints what it sends to
/// `out` / `err`; returns what `work` returns once it (and every printer clone) is done.
pub fn with_console<T: Send>(
    out: &mut dyn Write,
    err: &mut dyn Write,
    mode: ConsoleMode,
    work: impl FnOnce(Printer) -> T + Send,
) -> io::Result<T> {
    let (tx, rx) = channel();
    let printer = Printer {
        tx,
        color: mode.color,
    };
    let mut console = Console {
        out,
        err,
        live: mode.live,
        statuses: BTreeMap::new(),
        status_shown: false,
    };
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || work(printer));
        let mut io_result = Ok(());
        for msg in rx {
            if io_result.is_ok() {
                io_result = console.handle(msg);
            }
        }
        let cleared = console.clear_status();
        let value = match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        io_result.and(cleared).map(|_| value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_reach_their_writers_in_order() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let n = with_console(&mut out, &mut err, ConsoleMode::default(), |p| {
            p.line("one");
            p.status("A", Some("busy".into()));
            p.out("data");
            p.line("two");
            42
        })
        .unwrap();
        assert_eq!(n, 42);
        assert_eq!(String::from_utf8(err).unwrap(), "one\ntwo\n");
        assert_eq!(String::from_utf8(out).unwrap(), "data\n");
    }

    #[test]
    fn live_mode_redraws_the_status_line() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mode = ConsoleMode {
            color: false,
            live: true,
        };
        with_console(&mut out, &mut err, mode, |p| {
            p.status("A", Some("A 1/2".into()));
            p.line("event");
        })
        .unwrap();
        let err = String::from_utf8(err).unwrap();
        assert!(err.starts_with("A 1/2\r\x1b[2Kevent\nA 1/2"), "{err:?}");
        assert!(err.ends_with("\r\x1b[2K"));
    }
}
