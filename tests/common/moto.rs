//! The one moto server of the test run (started by scripts/test.sh).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

pub fn moto_url() -> String {
    std::env::var("PIPEDECK_MOTO_URL").expect(
        "PIPEDECK_MOTO_URL is not set: run the suite with ./scripts/test.sh, which installs and starts moto",
    )
}

pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto_url())
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

/// Resource names unique to this test and process.
pub fn prefix(test: &str) -> String {
    // Every call its own: the tests of one binary share a process (and its
    // id) and one moto, and a test that counts what its prefix lists must
    // not see another's resources.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("pd-{test}-{}-{n}-", std::process::id())
}

/// Creates the group (if new) and the stream, and puts `events`:
/// (milliseconds since the epoch, message).
pub async fn put_log_events(
    logs: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    stream: &str,
    events: &[(i64, &str)],
) {
    let _ = logs.create_log_group().log_group_name(group).send().await;
    logs.create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await
        .unwrap();
    let mut req = logs
        .put_log_events()
        .log_group_name(group)
        .log_stream_name(stream);
    for (ms, msg) in events {
        req = req.log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(*ms)
                .message(*msg)
                .build()
                .unwrap(),
        );
    }
    req.send().await.unwrap();
}

/// `pipedeck snapshot` (JSON) against the moto server, run as a user runs
/// it, with its config and state under `dir`.
pub fn snapshot(dir: &std::path::Path) -> std::process::Output {
    super::pipedeck_bin(
        dir,
        &[
            "snapshot",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &moto_url(),
        ],
        |_| {},
    )
}
