//! The real binary against LocalStack, driven by keys in a terminal:
//! open `:dlq`, pick the DLQ, press R, confirm — and the messages arrive
//! back in the source queue.

use crate::common;

use common::localstack::{self, bodies, eventually, Sqs};
use common::pty::{pipedeck_on_localstack, Running};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redrive_by_keypress_puts_the_messages_back_in_the_source() {
    let acct = localstack::account(20);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("billing-dlq", &[]).await;
    let src = sqs.source_of("billing", &dlq).await;
    let sent = bodies("invoice", 5);
    sqs.fill_through_moves(&src, &dlq, &sent).await;

    let dir = tempfile::tempdir().unwrap();
    let cmd = pipedeck_on_localstack(&acct, dir.path());
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
