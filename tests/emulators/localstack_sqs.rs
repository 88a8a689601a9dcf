//! DLQs through pipedeck's real AWS backend against LocalStack over HTTP:
//! discovery, counts, peek, move-task redrives (to the source, to a chosen
//! queue, cancelled part-way), client-side redrives (marked and all,
//! standard and FIFO), purge, and CloudWatch depth. DLQs are filled by real
//! maxReceiveCount moves, and results are checked by draining queues and
//! comparing bodies, not by trusting Approximate* counters.

use crate::common;

use aws_sdk_sqs::types::QueueAttributeName as Attr;
use common::localstack::{self, bodies, eventually, Sqs};
use pipedeck::cloud::sqs::redrive::Destination;
use pipedeck::cloud::{CloudRead, MoveTask, RedrivePlan};
use pipedeck::gate::{self, Action, Journal};
use std::collections::BTreeSet;

async fn run(cloud: &pipedeck::cloud::aws::AwsCloud, action: Action) -> gate::ActionReport {
    let dir = tempfile::tempdir().unwrap();
    gate::execute(
        cloud,
        &Journal::at(dir.path().join("j.jsonl")),
        common::approve(action),
    )
    .await
}

/// StartMessageMoveTask of everything in `dlq` (sourced from `src`), to
/// the source or to `to`.
fn move_task(
    dlq: &localstack::Queue,
    src: &localstack::Queue,
    count: usize,
    to: Option<&localstack::Queue>,
    max_per_second: Option<i32>,
) -> Action {
    Action::RedriveDlq {
        queue: dlq.name.clone(),
        dlq_arn: dlq.arn.clone(),
        count,
        sources: vec![src.name.clone()],
        destination: to.map(|q| (q.name.clone(), q.arn.clone())),
        max_per_second,
    }
}

async fn task_until(
    cloud: &pipedeck::cloud::aws::AwsCloud,
    url: &str,
    arn: &str,
    done: impl Fn(&MoveTask) -> bool,
) -> MoveTask {
    eventually("move task state", 90, || async {
        let p = cloud.dlq_progress(url, arn).await.ok()?;
        p.move_task.filter(|t| done(t))
    })
    .await
}

fn sorted(v: Vec<(String, Option<String>, Option<String>)>) -> Vec<String> {
    let mut b: Vec<String> = v.into_iter().map(|(b, _, _)| b).collect();
    b.sort();
    b
}

#[tokio::test]
async fn discovery_counts_and_a_peek_that_consumes_nothing() {
    let acct = localstack::account(1);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("orders-dlq", &[]).await;
    let src = sqs.source_of("orders", &dlq).await;
    let sns_dlq = sqs.queue("alerts-fanout-dlq", &[]).await;
    sqs.queue("unrelated", &[]).await;
    let sent = bodies("order", 5);
    sqs.fill_through_moves(&src, &dlq, &sent).await;

    let cloud = localstack::cloud(&acct).await;
    let found = cloud.dlqs(&["alerts-fanout-dlq".into()]).await.unwrap();
    let names: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["alerts-fanout-dlq", "orders-dlq"],
        "the targeted and the configured, nothing else"
    );
    let d = found.iter().find(|d| d.name == "orders-dlq").unwrap();
    assert_eq!(d.visible, 5);
    assert_eq!(d.sources.len(), 1);
    assert_eq!(d.sources[0].name, "orders");
    assert_eq!(d.sources[0].max_receive_count, Some(1));
    assert!(!d.configured);
    let f = found
        .iter()
        .find(|d| d.name == "alerts-fanout-dlq")
        .unwrap();
    assert!(f.configured && f.sources.is_empty());
    assert_eq!(f.url, sns_dlq.url);

    let peeked = cloud.peek(&dlq.url, 3).await.unwrap();
    assert_eq!(peeked.len(), 3);
    for m in &peeked {
        assert!(sent.contains(&m.body), "{}", m.body);
        assert_eq!(
            m.source_arn.as_deref(),
            Some(src.arn.as_str()),
            "DeadLetterQueueSourceArn"
        );
        assert!(
            m.receive_count.unwrap() >= 2,
            "counted the source receives and the peek"
        );
        assert!(m.attributes.contains_key("index"));
        assert!(m.sent.is_some());
    }
    // Released at once: a receive right after the peek gets all five
    // again, nothing consumed (bodies compared, not Approximate* counts).
    let mut want = sent.clone();
    want.sort();
    assert_eq!(sorted(sqs.drain(&dlq).await), want);
}

#[tokio::test]
async fn move_task_redrives_to_the_source_and_to_a_chosen_queue() {
    let acct = localstack::account(2);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("events-dlq", &[]).await;
    let src = sqs.source_of("events", &dlq).await;
    let other = sqs.queue("events-replay", &[]).await;
    let cloud = localstack::cloud(&acct).await;

    let first = bodies("first", 6);
    sqs.fill_through_moves(&src, &dlq, &first).await;
    let r = run(&cloud, move_task(&dlq, &src, 6, None, None)).await;
    assert!(r.ok, "{}", r.summary);
    let t = task_until(&cloud, &dlq.url, &dlq.arn, |t| t.status == "COMPLETED").await;
    assert_eq!(t.moved, 6);
    let mut want = first.clone();
    want.sort();
    assert_eq!(
        sorted(sqs.drain(&src).await),
        want,
        "the bodies are back in the source"
    );

    let second = bodies("second", 4);
    sqs.fill_through_moves(&src, &dlq, &second).await;
    let r = run(&cloud, move_task(&dlq, &src, 4, Some(&other), Some(50))).await;
    assert!(r.ok, "{}", r.summary);
    task_until(&cloud, &dlq.url, &dlq.arn, |t| {
        t.status == "COMPLETED" && t.moved == 4
    })
    .await;
    let mut want = second.clone();
    want.sort();
    assert_eq!(
        sorted(sqs.drain(&other).await),
        want,
        "the bodies are in the chosen queue"
    );
    assert!(sqs.drain(&src).await.is_empty());
}

#[tokio::test]
async fn a_slow_task_cancelled_part_way_loses_nothing() {
    let acct = localstack::account(3);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("slow-dlq", &[]).await;
    let src = sqs.source_of("slow", &dlq).await;
    let sent = bodies("slow", 30);
    sqs.fill_through_moves(&src, &dlq, &sent).await;
    let cloud = localstack::cloud(&acct).await;
    let r = run(&cloud, move_task(&dlq, &src, 30, None, Some(1))).await;
    assert!(r.ok, "{}", r.summary);
    let running = task_until(&cloud, &dlq.url, &dlq.arn, |t| {
        t.status == "RUNNING" && t.moved >= 1
    })
    .await;
    assert!(running.is_cancellable());

    // A second task while this one runs: refused by SQS, reported.
    let again = run(&cloud, move_task(&dlq, &src, 30, None, None)).await;
    assert!(
        !again.ok && again.summary.contains("not started"),
        "{}",
        again.summary
    );

    let r = run(
        &cloud,
        Action::CancelRedrive {
            queue: dlq.name.clone(),
            task_handle: running.handle.clone().unwrap(),
            moved: running.moved,
            to_move: running.to_move,
        },
    )
    .await;
    assert!(r.ok, "{}", r.summary);
    let t = task_until(&cloud, &dlq.url, &dlq.arn, |t| t.status == "CANCELLED").await;
    let moved = sqs.drain(&src).await;
    let left = sqs.drain(&dlq).await;
    println!(
        "cancelled after {} moved (task says {}), {} left",
        moved.len(),
        t.moved,
        left.len()
    );
    assert!(!left.is_empty(), "cancelled before the end");
    assert_eq!(
        moved.len() + left.len(),
        sent.len(),
        "moved + remaining == original"
    );
    let mut all = sorted(moved);
    all.extend(sorted(left));
    all.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(all, want);
}

fn client_plan(
    dlq: &localstack::Queue,
    dest: Destination,
    only: Option<BTreeSet<String>>,
) -> RedrivePlan {
    RedrivePlan {
        dlq_url: dlq.url.clone(),
        fifo: dlq.name.ends_with(".fifo"),
        destination: dest,
        only,
        action_id: String::new(),
    }
}

#[tokio::test]
async fn client_side_redrive_of_marked_then_all_messages() {
    let acct = localstack::account(4);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("lambda-dlq", &[]).await;
    let src = sqs.source_of("lambda-in", &dlq).await;
    let sent = bodies("lambda", 8);
    sqs.fill_through_moves(&src, &dlq, &sent).await;
    let cloud = localstack::cloud(&acct).await;

    let peek = cloud.peek(&dlq.url, 10).await.unwrap();
    let marked: Vec<_> = peek.iter().take(3).collect();
    let ids: BTreeSet<String> = marked.iter().map(|m| m.id.clone()).collect();
    let dest = Destination::BySource {
        urls: [(src.arn.clone(), src.url.clone())].into(),
        fallback: Some(src.url.clone()),
    };
    let r = run(
        &cloud,
        Action::ClientRedrive {
            queue: dlq.name.clone(),
            count: 3,
            destination: src.name.clone(),
            plan: client_plan(&dlq, dest.clone(), Some(ids)),
        },
    )
    .await;
    assert!(r.ok, "{}", r.summary);
    assert!(r.summary.contains("moved 3"), "{}", r.summary);
    let back = sqs.drain(&src).await;
    let mut want: Vec<String> = marked.iter().map(|m| m.body.clone()).collect();
    want.sort();
    assert_eq!(sorted(back.clone()), want, "exactly the marked ones");
    assert!(
        back.iter().all(|(_, index, _)| index.is_some()),
        "attributes copied"
    );
    // The other five stay in the DLQ: the redrive of all below moves
    // exactly them (bodies compared at the end).

    let r = run(
        &cloud,
        Action::ClientRedrive {
            queue: dlq.name.clone(),
            count: 5,
            destination: src.name.clone(),
            plan: client_plan(&dlq, dest, None),
        },
    )
    .await;
    assert!(r.summary.contains("moved 5"), "{}", r.summary);
    let mut rest: Vec<String> = sent.iter().filter(|b| !want.contains(b)).cloned().collect();
    rest.sort();
    assert_eq!(sorted(sqs.drain(&src).await), rest);
    assert!(sqs.drain(&dlq).await.is_empty());
}

#[tokio::test]
async fn client_side_redrive_of_a_fifo_dlq_inside_the_dedup_window() {
    let acct = localstack::account(5);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs
        .queue("jobs-dlq.fifo", &[(Attr::FifoQueue, "true".into())])
        .await;
    let src = sqs.source_of("jobs.fifo", &dlq).await;
    let sent = bodies("job", 6);
    // Sent with dedup ids orig-0..5 seconds ago: resending with those ids
    // now would be accepted and dropped.
    sqs.fill_through_moves(&src, &dlq, &sent).await;
    let cloud = localstack::cloud(&acct).await;
    let to_src = || Destination::Fixed {
        url: src.url.clone(),
    };

    // Two marked ones first, then the rest.
    let peek = cloud.peek(&dlq.url, 10).await.unwrap();
    assert!(
        peek.iter().all(|m| m.group_id.is_some()),
        "FIFO group ids shown"
    );
    let marked: BTreeSet<String> = peek.iter().take(2).map(|m| m.id.clone()).collect();
    let mut marked_bodies: Vec<String> = peek.iter().take(2).map(|m| m.body.clone()).collect();
    marked_bodies.sort();
    let r = run(
        &cloud,
        Action::ClientRedrive {
            queue: dlq.name.clone(),
            count: 2,
            destination: src.name.clone(),
            plan: client_plan(&dlq, to_src(), Some(marked)),
        },
    )
    .await;
    assert!(r.ok, "{}", r.summary);
    let first = sqs.drain(&src).await;
    assert_eq!(
        sorted(first.clone()),
        marked_bodies,
        "exactly the marked ones"
    );

    let r = run(
        &cloud,
        Action::ClientRedrive {
            queue: dlq.name.clone(),
            count: 4,
            destination: src.name.clone(),
            plan: client_plan(&dlq, to_src(), None),
        },
    )
    .await;
    assert!(r.ok, "{}", r.summary);
    let mut back = sqs.drain(&src).await;
    back.extend(first);
    let mut want = sent.clone();
    want.sort();
    assert_eq!(sorted(back.clone()), want, "all six arrived: new dedup ids");
    for (body, index, group) in back {
        let i: usize = index.expect("attribute copied").parse().unwrap();
        assert_eq!(body, sent[i]);
        assert_eq!(
            group.as_deref(),
            Some(format!("group-{}", i % 2).as_str()),
            "group id kept"
        );
    }
}

#[tokio::test]
async fn purge_empties_the_dlq() {
    let acct = localstack::account(6);
    let sqs = Sqs::new(&acct).await;
    let dlq = sqs.queue("purge-dlq", &[]).await;
    let src = sqs.source_of("purge-src", &dlq).await;
    sqs.fill_through_moves(&src, &dlq, &bodies("p", 4)).await;
    let cloud = localstack::cloud(&acct).await;
    let r = run(
        &cloud,
        Action::PurgeDlq {
            queue: dlq.name.clone(),
            url: dlq.url.clone(),
            count: 4,
        },
    )
    .await;
    assert!(r.ok, "{}", r.summary);
    assert!(sqs.drain(&dlq).await.is_empty());
    // LocalStack does not enforce the one-purge-a-minute limit; the
    // PurgeQueueInProgress answer is tested with aws-smithy-mocks.
}

#[tokio::test]
async fn dlq_depth_and_age_come_back_from_cloudwatch() {
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let acct = localstack::account(7);
    let cw = aws_sdk_cloudwatch::Client::new(&localstack::sdk_config(&acct).await);
    let now = aws_smithy_types::DateTime::from_secs(chrono::Utc::now().timestamp() - 120);
    for (metric, value) in [
        ("ApproximateNumberOfMessagesVisible", 17.0),
        ("ApproximateAgeOfOldestMessage", 900.0),
    ] {
        cw.put_metric_data()
            .namespace("AWS/SQS")
            .metric_data(
                MetricDatum::builder()
                    .metric_name(metric)
                    .dimensions(
                        Dimension::builder()
                            .name("QueueName")
                            .value("cw-dlq")
                            .build(),
                    )
                    .timestamp(now)
                    .value(value)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let cloud = localstack::cloud(&acct).await;
    let m = eventually("metrics readable", 30, || async {
        let m = cloud.dlq_metrics(&["cw-dlq".into()]).await.unwrap();
        m.queues
            .get("cw-dlq")
            .filter(|q| !q.depth.is_empty())
            .cloned()
    })
    .await;
    assert_eq!(m.depth.last().map(|p| p.1), Some(17.0));
    assert_eq!(m.oldest_age_s, Some(900));
}
