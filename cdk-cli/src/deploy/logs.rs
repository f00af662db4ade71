//! CloudWatch log tailing for `rcdk watch` (on by default, `--logs=false` to switch off), as
//! the cdk CLI's log monitor: after each deployment the log groups of the deployed stacks
//! (their Lambda functions' groups and their `AWS::Logs::LogGroup`s) are polled every 2 s and
//! new events are printed as `[group] time message`; while a deployment runs, nothing is read.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::aws::{CloudWatchLogs, StackResource};

/// How long the monitor waits between two reads of every group.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Events read per group and poll (cdk's limit); more are announced as truncated.
const PAGE: u32 = 100;
/// Resource types whose log groups cdk does not tail (flow logs, trails, build logs).
const IGNORED_REFERRERS: [&str; 3] = [
    "AWS::EC2::FlowLog",
    "AWS::CloudTrail::Trail",
    "AWS::CodeBuild::Project",
];

/// The log groups cdk tails for a deployed stack, from its template and its resources
/// (ListStackResources): each `AWS::Logs::LogGroup` by physical name, unless a flow log, trail
/// or CodeBuild project of the template references it; each `AWS::Lambda::Function`'s
/// `LoggingConfig.LogGroup` (a name, or a `Ref` to a log group of the template), else
/// `/aws/lambda/<function name>`. In resource order, without duplicates.
pub fn log_groups(template: &Value, resources: &[StackResource]) -> Vec<String> {
    let template_resources = template.get("Resources").and_then(Value::as_object);
    let resource = |id: &str| template_resources.and_then(|r| r.get(id));
    let physical_id = |id: &str| {
        resources
            .iter()
            .find(|r| r.logical_id == id)
            .and_then(|r| r.physical_id.clone())
    };
    let mut groups: Vec<String> = Vec::new();
    for r in resources {
        let group = match r.resource_type.as_str() {
            "AWS::Logs::LogGroup" => {
                let ignored = template_resources.is_some_and(|all| {
                    all.values().any(|other| {
                        let ty = other.get("Type").and_then(Value::as_str).unwrap_or("");
                        IGNORED_REFERRERS.contains(&ty) && references(other, &r.logical_id)
                    })
                });
                if ignored {
                    None
                } else {
                    r.physical_id.clone()
                }
            }
            "AWS::Lambda::Function" => {
                let configured = resource(&r.logical_id)
                    .and_then(|f| f.pointer("/Properties/LoggingConfig/LogGroup"));
                match configured {
                    Some(Value::String(name)) => Some(name.clone()),
                    Some(Value::Object(o)) => o.get("Ref").and_then(Value::as_str).and_then(|id| {
                        resource(id)
                            .and_then(|g| g.pointer("/Properties/LogGroupName"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| physical_id(id))
                    }),
                    _ => r
                        .physical_id
                        .as_ref()
                        .map(|name| format!("/aws/lambda/{name}")),
                }
            }
            _ => None,
        };
        if let Some(g) = group.filter(|g| !groups.contains(g)) {
            groups.push(g);
        }
    }
    groups
}

/// Whether `value` contains a `Ref` or `Fn::GetAtt` to `logical_id`.
fn references(value: &Value, logical_id: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| match (k.as_str(), v) {
            ("Ref", Value::String(id)) => id == logical_id,
            ("Fn::GetAtt", Value::Array(parts)) => {
                parts.first().and_then(Value::as_str) == Some(logical_id)
            }
            ("Fn::GetAtt", Value::String(s)) => s.split('.').next() == Some(logical_id),
            _ => references(v, logical_id),
        }),
        Value::Array(items) => items.iter().any(|v| references(v, logical_id)),
        _ => false,
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// One tailed group: its client and the time from which events are still unseen.
struct Tailed {
    client: Arc<dyn CloudWatchLogs>,
    group: String,
    from: i64,
}

/// Reads and prints new events of the tailed groups (cdk's `CloudWatchLogEventMonitor`).
pub struct LogMonitor {
    start_time: i64,
    tailed: Vec<Tailed>,
}

impl LogMonitor {
    /// A monitor showing events from `start_time` (milliseconds since the epoch) on.
    pub fn new(start_time: i64) -> Self {
        LogMonitor {
            start_time,
            tailed: Vec::new(),
        }
    }

    /// Tails `groups` (read through `client`) from the monitor's start time; groups already
    /// tailed are kept as they are.
    pub fn add_groups(&mut self, client: &Arc<dyn CloudWatchLogs>, groups: &[String]) {
        for group in groups {
            if !self.tailed.iter().any(|t| &t.group == group) {
                self.tailed.push(Tailed {
                    client: client.clone(),
                    group: group.clone(),
                    from: self.start_time,
                });
            }
        }
    }

    /// The tailed groups.
    pub fn groups(&self) -> Vec<&str> {
        self.tailed.iter().map(|t| t.group.as_str()).collect()
    }

    /// Stops tailing before a deployment: forgets the groups (the deployment adds them again)
    /// and shows only events from `now` on.
    pub fn deactivate(&mut self, now: i64) {
        self.start_time = now;
        self.tailed.clear();
    }

    /// Reads each group once and prints its new events to `w`. A group that does not exist yet
    /// (a function never invoked) and throttling are silent; other errors are printed and the
    /// other groups still read.
    pub fn tick(&mut self, w: &mut dyn Write) -> io::Result<()> {
        for t in &mut self.tailed {
            let page = match t.client.filter_log_events(&t.group, t.from, PAGE) {
                Ok(page) => page,
                Err(e) => {
                    match e.code.as_deref() {
                        Some("ResourceNotFoundException" | "ThrottlingException") => {}
                        _ => writeln!(w, "Error occurred while monitoring logs: {e}")?,
                    }
                    continue;
                }
            };
            let mut end = t.from;
            for event in &page.events {
                writeln!(
                    w,
                    "[{}] {} {}",
                    t.group,
                    clock(event.timestamp),
                    event.message.trim()
                )?;
                end = end.max(event.timestamp);
            }
            if page.events.len() == PAGE as usize && page.next_token.is_some() {
                writeln!(
                    w,
                    "[{}] {} >>> `watch` shows only the first 100 log messages - the rest have been truncated...",
                    t.group,
                    clock(end)
                )?;
            }
            t.from = end + 1;
        }
        Ok(())
    }
}

/// The time of day of `ms` (UTC) as cdk's en-US `toLocaleTimeString()`: `5:01:10 PM`.
fn clock(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let (h12, half) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{h12}:{m:02}:{s:02} {half}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{AwsError, AwsResult, LogEvent, LogEventsPage};
    use serde_json::json;
    use std::sync::Mutex;

    fn res(id: &str, ty: &str, physical: &str) -> StackResource {
        StackResource {
            logical_id: id.into(),
            physical_id: Some(physical.into()),
            resource_type: ty.into(),
        }
    }

    #[test]
    fn groups_of_functions_and_log_groups_as_cdk_finds_them() {
        let template = json!({"Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "Named": {"Type": "AWS::Lambda::Function",
                      "Properties": {"LoggingConfig": {"LogGroup": "/custom/named"}}},
            "ByRef": {"Type": "AWS::Lambda::Function",
                      "Properties": {"LoggingConfig": {"LogGroup": {"Ref": "Group"}}}},
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/app/group"}},
            "BuildLogs": {"Type": "AWS::Logs::LogGroup"},
            "Build": {"Type": "AWS::CodeBuild::Project", "Properties": {
                "LogsConfig": {"CloudWatchLogs": {"GroupName": {"Ref": "BuildLogs"}, "Status": "ENABLED"}}}},
            "Queue": {"Type": "AWS::SQS::Queue"}
        }});
        let resources = [
            res("Fn", "AWS::Lambda::Function", "Stack-Fn-1A2B"),
            res("Named", "AWS::Lambda::Function", "Stack-Named-3C"),
            res("ByRef", "AWS::Lambda::Function", "Stack-ByRef-4D"),
            res("Group", "AWS::Logs::LogGroup", "/app/group"),
            res("BuildLogs", "AWS::Logs::LogGroup", "Stack-BuildLogs-5E"),
            res("Build", "AWS::CodeBuild::Project", "build"),
            res("Queue", "AWS::SQS::Queue", "https://sqs/q"),
        ];
        assert_eq!(
            log_groups(&template, &resources),
            ["/aws/lambda/Stack-Fn-1A2B", "/custom/named", "/app/group"]
        );
    }

    /// Answers FilterLogEvents from a script, recording the start times asked for.
    struct Scripted {
        answers: Mutex<Vec<AwsResult<LogEventsPage>>>,
        asked: Mutex<Vec<(String, i64)>>,
    }

    impl CloudWatchLogs for Scripted {
        fn filter_log_events(
            &self,
            group: &str,
            start: i64,
            limit: u32,
        ) -> AwsResult<LogEventsPage> {
            assert_eq!(limit, 100);
            self.asked.lock().unwrap().push((group.into(), start));
            self.answers.lock().unwrap().remove(0)
        }
    }

    #[test]
    fn prints_new_events_once_and_survives_errors() {
        let event = |t: i64, m: &str| LogEvent {
            timestamp: t,
            message: m.into(),
        };
        let logs = Arc::new(Scripted {
            answers: Mutex::new(vec![
                Err(AwsError::new("ResourceNotFoundException", "no group yet")),
                Ok(LogEventsPage {
                    events: vec![event(61_000, "START\n"), event(3_723_000, "hello\n")],
                    next_token: None,
                }),
                Ok(LogEventsPage::default()),
                Err(AwsError::new("AccessDeniedException", "not allowed")),
            ]),
            asked: Mutex::new(Vec::new()),
        });
        let client: Arc<dyn CloudWatchLogs> = logs.clone();
        let mut monitor = LogMonitor::new(1_000);
        monitor.add_groups(&client, &["/aws/lambda/f".to_string()]);
        monitor.add_groups(&client, &["/aws/lambda/f".to_string()]);
        assert_eq!(monitor.groups(), ["/aws/lambda/f"]);
        let mut out = Vec::new();
        for _ in 0..4 {
            monitor.tick(&mut out).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[/aws/lambda/f] 12:01:01 AM START\n[/aws/lambda/f] 1:02:03 AM hello\n\
             Error occurred while monitoring logs: AccessDeniedException: not allowed\n"
        );
        // Each read starts after the newest event seen.
        let starts: Vec<i64> = logs.asked.lock().unwrap().iter().map(|(_, s)| *s).collect();
        assert_eq!(starts, [1_000, 1_000, 3_723_001, 3_723_002]);
        monitor.deactivate(9_000);
        assert!(monitor.groups().is_empty());
    }

    #[test]
    fn clock_is_cdks_en_us_time_of_day() {
        assert_eq!(clock(0), "12:00:00 AM");
        assert_eq!(clock(13 * 3_600_000 + 5 * 60_000 + 9_000), "1:05:09 PM");
        assert_eq!(clock(12 * 3_600_000), "12:00:00 PM");
    }
}
