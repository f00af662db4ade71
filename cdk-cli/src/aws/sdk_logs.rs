//! [`CloudWatchLogs`] for real AWS: FilterLogEvents through [`super::signed_http`] (the logs
//! SDK crate would add minutes of build time for one call).

use aws_config::SdkConfig;
use serde_json::json;
use tokio::runtime::Handle;

use super::signed_http::{SignedClient, LOGS};
use super::{AwsError, AwsResult, CloudWatchLogs, LogEvent, LogEventsPage};

/// CloudWatch Logs calls in one region with one set of credentials.
pub struct SignedLogs {
    http: SignedClient,
    handle: Handle,
    verbose: bool,
}

impl SignedLogs {
    /// A client built from `config` (region and credentials already set), run on `handle`;
    /// `verbose` logs every call to stderr.
    pub fn new(config: &SdkConfig, region: &str, handle: Handle, verbose: bool) -> AwsResult<Self> {
        Ok(SignedLogs {
            http: SignedClient::new(config, region)?,
            handle,
            verbose,
        })
    }
}

impl CloudWatchLogs for SignedLogs {
    fn filter_log_events(
        &self,
        group: &str,
        start_time: i64,
        limit: u32,
    ) -> AwsResult<LogEventsPage> {
        if self.verbose {
            eprintln!("AWS logs:FilterLogEvents {group}");
        }
        let body = json!({"logGroupName": group, "startTime": start_time, "limit": limit});
        let answer = self
            .handle
            .block_on(self.http.json_call(
                LOGS,
                "application/x-amz-json-1.1",
                "Logs_20140328.FilterLogEvents",
                &body,
            ))
            .map_err(|e| AwsError {
                code: e.code,
                message: format!("logs:FilterLogEvents {group}: {}", e.message),
            })?;
        Ok(page_of(&answer))
    }
}

/// The events and next token of a FilterLogEvents answer.
fn page_of(answer: &serde_json::Value) -> LogEventsPage {
    let events = answer["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| {
                    Some(LogEvent {
                        timestamp: e["timestamp"].as_i64().unwrap_or_default(),
                        message: e["message"].as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    LogEventsPage {
        events,
        next_token: answer["nextToken"].as_str().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_recorded_filter_log_events_answer() {
        // Recorded from CloudWatch Logs (FilterLogEvents, JSON 1.1), abridged.
        let answer: serde_json::Value = serde_json::from_str(
            r#"{"events":[
                {"eventId":"3792","ingestionTime":1764608471000,"logStreamName":"2026/12/01/[$LATEST]ab12",
                 "message":"START RequestId: 6f1 Version: $LATEST\n","timestamp":1764608470123},
                {"eventId":"3793","ingestionTime":1764608471000,"logStreamName":"2026/12/01/[$LATEST]ab12",
                 "message":"2026-12-01T17:01:10.200Z\t6f1\tINFO\thello\n","timestamp":1764608470200},
                {"eventId":"3794","logStreamName":"s","timestamp":1764608470300}
            ],"nextToken":"Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCr","searchedLogStreams":[]}"#,
        )
        .unwrap();
        let page = page_of(&answer);
        assert_eq!(
            page.events,
            [
                LogEvent {
                    timestamp: 1764608470123,
                    message: "START RequestId: 6f1 Version: $LATEST\n".into()
                },
                LogEvent {
                    timestamp: 1764608470200,
                    message: "2026-12-01T17:01:10.200Z\t6f1\tINFO\thello\n".into()
                },
            ]
        );
        assert_eq!(
            page.next_token.as_deref(),
            Some("Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCr")
        );
        assert_eq!(page_of(&json!({})), LogEventsPage::default());
    }
}
