//! The real binary against LocalStack, driven by keys in a terminal:
//! open `:dlq`, pick the DLQ, press R, confirm — and the messages arrive
//! back in the source queue.

mod common;

use common::localstack::{self, bodies, eventually, Sqs};
use common::pty::Running;
use portable_pty::CommandBuilder;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redrive_by_keypress_puts_the_messages_back_in_the_source() {
    let acct = localstack::account(20);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("billing-dlq", &[]).await;
    let src = sqs.source_of("billing", &dlq).await;
    let sent = bodies("invoice", 5);
    sqs.fill_through_moves(&src, &dlq, &sent).await;

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aws-config"), "").unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", acct.as_str()),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", localstack::localstack_url().as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("TERM", "xterm-256color"),
    ] {
        cmd.env(k, v);
    }
    for k in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        cmd.env(k, dir.path().join("aws-config"));
    }
    // Every service at LocalStack (which has no Glue or EMR: those panes
    // say so; the DLQ pane is what is tried here).
    for k in ["GLUE", "EMR", "STS", "SQS", "CLOUDWATCH", "CLOUDWATCH_LOGS"] {
        cmd.env(
            format!("AWS_ENDPOINT_URL_{k}"),
            localstack::localstack_url(),
        );
    }
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    let mut app = Running::start(cmd, 140, 32);

    app.wait_text("Journal");
    app.keys(":dlq\r");
    app.wait_text("billing-dlq");
    app.screen.wait_for("5 visible in billing-dlq", |p, _| {
        p.screen()
            .contents()
            .lines()
            .any(|l| l.contains("billing-dlq") && l.contains("✗ 5"))
    });
    app.keys("R");
    app.wait_text("Redrive 5 message(s) from DLQ billing-dlq to the original source");
    app.keys("y");
    app.wait_text("billing-dlq: redrive started");
    // Progress comes from ListMessageMoveTasks while it runs.
    app.wait_text("COMPLETED");

    let back = eventually("messages in the source", 60, || async {
        let got = sqs.drain(&src).await;
        (!got.is_empty()).then_some(got)
    })
    .await;
    let mut got: Vec<String> = back.into_iter().map(|(b, _, _)| b).collect();
    got.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(got, want, "screen:\n{}", app.contents());

    let journal = std::fs::read_to_string(dir.path().join("state/pipedeck/journal.jsonl"))
        .unwrap_or_default();
    assert!(journal.contains("\"action\":\"sqs.redrive\""), "{journal}");
    app.keys("q");
    let status = app.child.wait().unwrap();
    assert!(status.success());
}
