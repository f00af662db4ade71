//! Following a stack's events until it reaches a terminal status: one line per event (status
//! coloured, construct path from the manifest's `aws:cdk:logicalId` metadata), a live
//! `done/total` status, and the failed resources collected for the report.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::console::{Printer, GREEN, RED, YELLOW};
use crate::aws::{AwsResult, CloudFormation, StackEvent};

/// How often stacks and change sets are polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    /// The first wait (the first poll happens at once).
    pub initial: Duration,
    /// The longest wait between polls.
    pub max: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(5),
        }
    }
}

impl Polling {
    /// No waiting at all (scripted tests).
    pub const IMMEDIATE: Polling = Polling {
        initial: Duration::ZERO,
        max: Duration::ZERO,
    };

    /// Waits for the `n`-th time (0-based) before polling again.
    pub fn wait(&self, n: u32) {
        let factor = 1u32 << n.min(6);
        let wait = self.initial.saturating_mul(factor).min(self.max);
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

/// Whether a stack status is final (not `*_IN_PROGRESS`; `REVIEW_IN_PROGRESS` counts as final:
/// nothing happens until a change set is executed).
pub fn is_terminal(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS") || status == "REVIEW_IN_PROGRESS"
}

/// Whether a final stack status means the deployment succeeded.
pub fn is_success(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" | "DELETE_COMPLETE"
    )
}

/// What following the stack ended with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonitorOutcome {
    /// The final stack status (`DELETE_COMPLETE` when the stack is gone).
    pub status: String,
    /// The stack's status reason, if any.
    pub status_reason: Option<String>,
    /// Events of resources that failed (`*_FAILED`), oldest first.
    pub failures: Vec<StackEvent>,
    /// Whether a rollback happened.
    pub rolled_back: bool,
}

/// Follows one stack.
pub struct StackMonitor<'a> {
    /// The client.
    pub cloudformation: &'a dyn CloudFormation,
    /// The stack name.
    pub stack_name: &'a str,
    /// How the stack is named in the output (its display name).
    pub label: &'a str,
    /// The number of resource changes expected (0: unknown). The progress total is this plus
    /// one for the stack itself, as in the cdk CLI.
    pub total: usize,
    /// Construct paths by logical ID.
    pub construct_paths: &'a HashMap<String, String>,
    /// Where lines go.
    pub printer: &'a Printer,
    /// Poll intervals.
    pub polling: Polling,
}

/// Colours a resource status: failures and rollbacks red, completions green, the rest yellow.
pub fn status_style(status: &str) -> anstyle::Style {
    if status.contains("FAILED") || status.contains("ROLLBACK") {
        RED
    } else if status.ends_with("_COMPLETE") {
        GREEN
    } else {
        YELLOW
    }
}

/// The cdk CLI's progress count: every first `*_COMPLETE` of a resource (or of the stack) counts
/// one, a second one (a rollback undoing it) takes it back; `*_COMPLETE_CLEANUP_IN_PROGRESS`
/// counts once for its resource.
#[derive(Debug, Default)]
pub struct Progress {
    done: usize,
    completed: BTreeMap<String, String>,
    cleanup: std::collections::BTreeSet<String>,
}

impl Progress {
    /// Counts one event.
    pub fn record(&mut self, logical_id: &str, status: &str) {
        if status.ends_with("_COMPLETE_CLEANUP_IN_PROGRESS") {
            self.done += 1;
            self.cleanup.insert(logical_id.to_string());
        }
        if status.ends_with("_COMPLETE") {
            if !self.cleanup.remove(logical_id) {
                if self.completed.contains_key(logical_id) {
                    self.done = self.done.saturating_sub(1);
                } else {
                    self.done += 1;
                }
            }
            self.completed
                .insert(logical_id.to_string(), status.to_string());
        }
    }

    /// `done/total` (aligned), or `done` when the total is unknown (0).
    pub fn formatted(&self, total: usize) -> String {
        if total == 0 {
            return format!("{:>3}", self.done);
        }
        let total = total + 1;
        let width = total.to_string().len();
        format!("{:>width$}/{total}", self.done.min(total))
    }
}

/// `HH:MM:SS` (UTC) of a Unix timestamp.
pub fn clock(timestamp: i64) -> String {
    let secs = timestamp.rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

impl StackMonitor<'_> {
    /// How a resource is named: `construct/path (LogicalId)`, or the logical ID alone.
    pub fn describe(&self, logical_id: &str) -> String {
        match self.construct_paths.get(logical_id) {
            Some(path) => format!("{path} ({logical_id})"),
            None => logical_id.to_string(),
        }
    }

    /// Follows the stack's events after the event `since` until the stack's status is final.
    pub fn follow(&self, since: Option<String>) -> AwsResult<MonitorOutcome> {
        let mut last_seen = since;
        let mut progress = Progress::default();
        let mut outcome = MonitorOutcome::default();
        let mut polls = 0u32;
        loop {
            let info = self.cloudformation.describe_stack(self.stack_name)?;
            let mut events = self
                .cloudformation
                .stack_events(self.stack_name, last_seen.as_deref())
                .or_else(|e| {
                    if e.is_stack_missing() {
                        Ok(Vec::new())
                    } else {
                        Err(e)
                    }
                })?;
            if let Some(newest) = events.first() {
                last_seen = Some(newest.event_id.clone());
            }
            events.reverse();
            for event in events {
                self.show(&event, &mut progress, &mut outcome);
            }
            let Some(info) = info else {
                outcome.status = "DELETE_COMPLETE".into();
                break;
            };
            if info.status.contains("ROLLBACK") {
                outcome.rolled_back = true;
            }
            if is_terminal(&info.status) {
                outcome.status = info.status;
                outcome.status_reason = info.status_reason;
                break;
            }
            self.printer.status(
                self.label,
                Some(format!(
                    "{} {} {}",
                    self.label,
                    progress.formatted(self.total).trim_start(),
                    info.status
                )),
            );
            self.polling.wait(polls);
            polls += 1;
        }
        self.printer.status(self.label, None);
        Ok(outcome)
    }

    fn show(&self, event: &StackEvent, progress: &mut Progress, outcome: &mut MonitorOutcome) {
        let is_stack = event.resource_type == "AWS::CloudFormation::Stack"
            && event.logical_id == self.stack_name;
        progress.record(&event.logical_id, &event.status);
        if event.status.contains("ROLLBACK") {
            outcome.rolled_back = true;
        }
        if event.status.ends_with("_FAILED") && !is_stack {
            outcome.failures.push(event.clone());
        }
        let status = self.printer.paint(
            status_style(&event.status),
            &format!("{:<28}", event.status),
        );
        let name = if is_stack {
            event.logical_id.clone()
        } else {
            self.describe(&event.logical_id)
        };
        let mut line = format!(
            "{} | {} | {} | {status} | {:<30} | {name}",
            self.label,
            progress.formatted(self.total),
            clock(event.timestamp),
            event.resource_type,
        );
        if let Some(reason) = event.reason.as_deref().filter(|r| !r.is_empty()) {
            if event.status.contains("FAILED") || event.status.contains("ROLLBACK") {
                line.push_str(&format!(" {}", self.printer.paint(RED, reason)));
            } else {
                line.push_str(&format!(" {reason}"));
            }
        }
        self.printer.line(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_as_cdk_does() {
        let mut p = Progress::default();
        assert_eq!(p.formatted(2), "0/3");
        p.record("A", "CREATE_IN_PROGRESS");
        p.record("A", "CREATE_COMPLETE");
        p.record("B", "CREATE_COMPLETE");
        assert_eq!(p.formatted(2), "2/3");
        p.record("Stack", "CREATE_COMPLETE");
        assert_eq!(p.formatted(2), "3/3");
        // A rollback deleting what was created takes it back.
        p.record("B", "DELETE_COMPLETE");
        assert_eq!(p.formatted(2), "2/3");
        // Cleanup counts once for the stack.
        let mut u = Progress::default();
        u.record("S", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        u.record("S", "UPDATE_COMPLETE");
        assert_eq!(u.formatted(0), "  1");
    }

    #[test]
    fn statuses_classify() {
        assert!(is_terminal("CREATE_COMPLETE"));
        assert!(is_terminal("REVIEW_IN_PROGRESS"));
        assert!(!is_terminal("UPDATE_ROLLBACK_IN_PROGRESS"));
        assert!(is_success("UPDATE_COMPLETE"));
        assert!(!is_success("UPDATE_ROLLBACK_COMPLETE"));
        assert_eq!(status_style("ROLLBACK_COMPLETE"), RED);
        assert_eq!(status_style("CREATE_COMPLETE"), GREEN);
        assert_eq!(clock(3_600 * 25 + 61), "01:01:01");
    }
}
