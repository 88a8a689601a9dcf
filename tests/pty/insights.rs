//! The real binary in a terminal against moto: type a query in the editor,
//! run it with ctrl-r, see the rows.

use crate::common;

use common::moto::{moto_url, prefix, sdk_config};
use common::pty::Running;
use portable_pty::CommandBuilder;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_a_query_run_it_with_ctrl_r_and_see_rows() {
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk_config().await);
    let group = format!("/{}insights-pty", prefix("pty"));
    logs.create_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name(&group)
        .log_stream_name("jr_9-driver")
        .send()
        .await
        .unwrap();
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("jr_9-driver")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(chrono::Utc::now().timestamp_millis() - 60_000)
                .message("ERROR ValueError: Empty file orders-042.csv")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    // The group is remembered for the profile, as after an earlier pick.
    let state = dir.path().join("state/pipedeck");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("insights.json"),
        serde_json::json!({"default": {"profile": "default", "groups": [group], "history": []}})
            .to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("aws-config"), "").unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("TERM", "xterm-256color"),
    ] {
        cmd.env(k, v);
    }
    for k in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        cmd.env(k, dir.path().join("aws-config"));
    }
    cmd.env("AWS_ENDPOINT_URL", moto_url());
    for k in ["GLUE", "EMR", "STS", "SQS", "CLOUDWATCH", "CLOUDWATCH_LOGS"] {
        cmd.env(format!("AWS_ENDPOINT_URL_{k}"), moto_url());
    }
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    let mut app = Running::start(cmd, 130, 32);
    app.wait_text("Journal");
    app.keys(":insights\r");
    app.wait_text("query — e edits");
    app.keys("e");
    app.wait_text("query (typing)");
    // Clear the starter query, then type ours.
    app.keys(&"\x7f".repeat(200));
    app.keys("fields @timestamp, @message | sort @timestamp desc");
    app.wait_text("fields @timestamp, @message | sort @timestamp desc");
    app.keys("\x12"); // ctrl-r
    app.wait_text("ERROR ValueError: Empty file orders-042.csv");
    app.wait_text("Complete");
    app.keys("\x1b");
    app.wait_text("query — e edits");
    app.keys("q");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(st) = app.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running 10 s after q; screen:\n{}",
            app.contents()
        );
        std::thread::sleep(std::time::Duration::from_millis(50)); // polling the child, not synchronising
    };
    assert!(status.success());
    let memory = std::fs::read_to_string(state.join("insights.json")).unwrap();
    assert!(
        memory.contains("fields @timestamp, @message | sort @timestamp desc"),
        "history kept: {memory}"
    );
}

/// `--demo`: on the failed run, `t` opens Insights with the run's logs,
/// error lines first; `E` then Enter writes them to a file.
#[test]
fn the_triage_key_shows_a_failed_runs_error_lines_in_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.arg("--demo");
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    cmd.env("TERM", "xterm-256color");
    // Exports go to the configured directory.
    let config = dir.path().join("config/pipedeck");
    std::fs::create_dir_all(&config).unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[insights]\nexport_dir = {:?}\n",
            exports.display().to_string()
        ),
    )
    .unwrap();
    let mut app = Running::start(cmd, 130, 36);
    app.wait_text("raw-to-silver-transform");
    app.keys("\r");
    app.wait_text("Glue › raw-to-silver-transform");
    app.keys("\r");
    app.wait_text("Error message");
    app.keys("t");
    app.wait_text("not found: /aws-glue/jobs/logs-v2");
    app.wait_text("ERROR GlueJob raw-to-silver-transform run jr_");
    app.wait_text("Complete");
    // Error lines come first: the first row under the header is one.
    let screen = app.contents();
    let header = screen
        .lines()
        .position(|l| l.starts_with("│@timestamp"))
        .unwrap_or_else(|| panic!("no table: {screen}"));
    let first = screen.lines().nth(header + 1).unwrap_or_default();
    assert!(first.contains(" ERROR "), "first row: {first}\n{screen}");

    app.keys("E");
    app.wait_text(":export ");
    app.keys("\r");
    app.wait_text("wrote 11 row(s) as csv");
    let files: Vec<_> = std::fs::read_dir(&exports).unwrap().collect();
    assert_eq!(files.len(), 1, "one export written");
    let path = files[0].as_ref().unwrap().path();
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.starts_with("@timestamp,@logStream,@message,@log\n"),
        "{csv}"
    );
    assert!(csv.contains("Traceback (most recent call last):"), "{csv}");
    app.keys("q");
    app.child.wait().unwrap();
}
