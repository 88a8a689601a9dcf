//! Text that matters is never cut without a mark, numbers never at all:
//! columns get room in priority order and every cut ends in "…"; the
//! Insights record wraps; a long status message takes a second row;
//! titles say each thing once; wrapped lines hang under their text.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Msg, Resource, State};
use pipedeck::cloud::{DlqProgress, MoveTask};
use pipedeck::panes::PaneId;

fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}:\n{screen}"))
}

#[test]
fn alarm_reasons_lead_with_what_differs_and_cuts_are_marked() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Alarms);
    let screen = text(&render(&s, 120, 36));
    // Not "Threshold Crossed: 1" on every row: the values and threshold.
    assert!(!screen.contains("Threshold Crossed"), "{screen}");
    let dq = row_with(&screen, "DQScoreLow");
    assert!(dq.contains("0.91 < 0.95"), "{dq}");
    // A composite's reason names its child, not the account's ARN prefix.
    let composite = row_with(&screen, "CriticalPipelineAlert");
    assert!(!composite.contains("arn:aws"), "{composite}");
    assert!(composite.contains("PipelineFailure"), "{composite}");
    // Whatever is cut says so.
    let s80 = text(&render(&s, 80, 24));
    for line in s80.lines().filter(|l| l.contains("✗ ALARM")) {
        let cell_end = line.trim_end_matches('│').trim_end();
        assert!(
            cell_end.ends_with('…') || cell_end.ends_with(')'),
            "cut without a mark: {line}"
        );
    }
}

#[test]
fn dlq_sources_are_whole_at_100_columns_and_marked_when_cut() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Dlq);
    let wide = text(&render(&s, 100, 30));
    assert!(
        row_with(&wide, "ordered-jobs-dlq.fifo").contains("ordered-jobs.fifo (max 3)"),
        "{wide}"
    );
    // Narrower: the sources are cut with a mark, or the column is left out
    // whole (its title gone) — never "ordered-jobs.fifo (max 3".
    for w in [60, 70, 80] {
        let narrow = text(&render(&s, w, 20));
        let row = row_with(&narrow, "ordered-jobs-dlq.fifo");
        let shown = narrow.contains("SOURCES");
        assert!(
            !shown || row.contains("ordered-jobs.fifo (max 3)") || row.contains('…'),
            "{w}: {row}"
        );
        assert!(
            !row.trim_end_matches('│').trim_end().ends_with("(max 3"),
            "{w}: {row}"
        );
    }
}

fn progress(s: &mut State, status: &str, moved: i64, to_move: i64) {
    update(
        s,
        Msg::Loaded {
            resource: Resource::DlqProgress {
                url: "mem://123456789012/pipeline-events-dlq".into(),
                arn: "arn:aws:sqs:eu-west-1:123456789012:pipeline-events-dlq".into(),
            },
            at: now(),
            result: Ok(Data::DlqProgress(DlqProgress {
                visible: 0,
                in_flight: 0,
                delayed: 0,
                move_task: Some(MoveTask {
                    handle: None,
                    status: status.into(),
                    moved,
                    to_move: Some(to_move),
                    destination_arn: None,
                    max_per_second: None,
                    failure_reason: None,
                    started: Some(now()),
                }),
            })),
            next_in: None,
        },
    );
}

#[test]
fn a_redrive_count_is_never_cut() {
    for (w, h) in [(120, 30), (100, 30), (80, 24)] {
        let mut s = demo_state(false);
        goto(&mut s, PaneId::Dlq);
        progress(&mut s, "COMPLETED", 37, 37);
        let screen = text(&render(&s, w, h));
        let row = row_with(&screen, "pipeline-events-dlq");
        // Whole, or not shown at all — never "37/3".
        if w >= 100 {
            assert!(row.contains("✓ COMPLETED 37/37"), "{w}: {row}");
        } else {
            assert!(
                !row.contains("COMPLETED") || row.contains("✓ COMPLETED 37/37"),
                "{w}: {row}"
            );
        }
        assert!(
            !row.contains("37/3 ") && !row.contains("37/3…"),
            "{w}: {row}"
        );
    }
}

#[test]
fn the_dlq_list_shows_the_nearest_expiry() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Dlq);
    let screen = text(&render(&s, 120, 30));
    // alerts-fanout-dlq's oldest message is nearly 14 days old on a 14-day
    // retention: hours left, flagged in words, on the list itself.
    let row = row_with(&screen, "alerts-fanout-dlq");
    assert!(row.contains("⚠ ≤9h"), "{row}");
    assert!(screen.contains("EXPIRES"), "{screen}");
    // A peek makes it exact (SentTimestamp + retention).
    press(&mut s, &["j"]);
    peek_selected_dlq(&mut s);
    press(&mut s, &["esc"]);
    let screen = text(&render(&s, 120, 30));
    let row = row_with(&screen, "alerts-fanout-dlq");
    assert!(row.contains("⚠ ") && !row.contains("≤"), "{row}");
}

fn insights_rows(s: &mut State, rows: Vec<Vec<(&str, &str)>>) {
    answer_insights(s, complete_rows(rows));
}

#[test]
fn insights_log_drops_the_account_and_log_stream_keeps_its_tail() {
    let mut s = insights_state();
    let stream = "jr_0f3c5a9e2b7d4c1a8e6f0b3d9c2a7e5f1b4d8c6a0e3f9b2d7c5a1e8f4b6d0c3a9-driver";
    insights_rows(
        &mut s,
        vec![vec![
            ("@timestamp", "2026-11-27 02:51:07.000"),
            ("@log", "123456789012:/aws-glue/jobs/error"),
            ("@logStream", stream),
            ("@message", "ValueError: Empty file"),
            ("@ptr", "p1"),
        ]],
    );
    let screen = text(&render(&s, 120, 30));
    let row = row_with(&screen, "ValueError");
    assert!(row.contains("/aws-glue/jobs/error"), "{row}");
    assert!(!row.contains("123456789012:"), "{row}");
    assert!(row.contains("-driver"), "{row}");
    assert!(row.contains("jr_0f3c"), "{row}");
    assert!(row.contains('…'), "{row}");
}

#[test]
fn the_insights_record_wraps_and_scrolls_to_its_end() {
    let mut s = insights_state();
    insights_rows(&mut s, vec![vec![("@message", "short"), ("@ptr", "p1")]]);
    press(&mut s, &["enter"]);
    let long = format!("{} THE-END", "word ".repeat(120));
    let rec = [("@message".to_string(), long.clone())]
        .into_iter()
        .collect();
    update(
        &mut s,
        loaded(
            Resource::LogRecord { ptr: "p1".into() },
            Data::LogRecord(rec),
        ),
    );
    let screen = text(&render(&s, 80, 24));
    // Wrapped: several rows of words, not one line cut at the edge.
    let word_rows = screen.lines().filter(|l| l.contains("word word")).count();
    assert!(word_rows >= 3, "{screen}");
    assert!(screen.contains("THE-END"), "{screen}");
}

#[test]
fn a_long_status_message_takes_a_second_row_and_points_to_the_log() {
    let mut s = demo_state(false);
    s.say(
        pipedeck::app::Level::Warn,
        "no destination given: redrive this DLQ to a queue of your choice with :redrive <queue> [msg/s], or press R to send its messages back to their sources",
    );
    let screen = text(&render(&s, 80, 24));
    let lines: Vec<&str> = screen.lines().collect();
    let status = &lines[lines.len() - 3..lines.len() - 1];
    let joined = status.join(" ");
    assert!(joined.contains(":redrive <queue>"), "{screen}");
    assert!(joined.contains("send its"), "{screen}");
    // Longer than two rows: it says where to read the rest.
    s.say(pipedeck::app::Level::Warn, "x ".repeat(200));
    let screen = text(&render(&s, 80, 24));
    assert!(screen.contains("m: messages"), "{screen}");
}

#[test]
fn titles_say_each_thing_once_and_counts_wait_for_data() {
    let s = demo_state(false);
    let mut a = s;
    goto(&mut a, PaneId::Alarms);
    let screen = text(&render(&a, 100, 30));
    assert!(screen.contains("Alarms (7) — 4 in ALARM"), "{screen}");
    assert!(!screen.contains("Alarms alarms"), "{screen}");
    goto(&mut a, PaneId::Dlq);
    let screen = text(&render(&a, 100, 30));
    assert!(screen.contains("Dead-letter queues (5)"), "{screen}");
    assert!(!screen.contains("DLQ dead-letter"), "{screen}");
    // Before the alarms were read (here: the read failed), no count.
    let mut e = empty_state(false);
    goto(&mut e, PaneId::Alarms);
    update(
        &mut e,
        Msg::Loaded {
            resource: Resource::Alarms,
            at: now(),
            result: Err(pipedeck::cloud::CloudError::AccessDenied {
                op: "cloudwatch:DescribeAlarms".into(),
                message: "no".into(),
            }),
            next_in: None,
        },
    );
    let screen = text(&render(&e, 100, 30));
    assert!(screen.contains("Alarms (?) — ? in ALARM"), "{screen}");
    assert!(!screen.contains("0 in ALARM"), "{screen}");
}

#[test]
fn a_wrapped_error_hangs_under_its_text() {
    let mut s = demo_state(false);
    press(&mut s, &["enter", "enter"]);
    let screen = text(&render(&s, 60, 40));
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Error message"))
        .unwrap_or_else(|| panic!("{screen}"));
    // The error's first line and its continuation both start indented.
    let first = lines[at + 1].trim_start_matches('│');
    let second = lines[at + 2].trim_start_matches('│');
    assert!(
        first.starts_with("  ") && !first.starts_with("   "),
        "{screen}"
    );
    assert!(
        second.starts_with("  "),
        "continuation at the edge:\n{screen}"
    );
}

#[test]
fn a_narrow_glue_list_keeps_the_job_names() {
    let s = demo_state(false);
    for w in [50, 60] {
        let screen = text(&render(&s, w, 20));
        assert!(screen.contains("JOB"), "{w}:\n{screen}");
        let row = row_with(&screen, "✗ FAILED ×4");
        assert!(row.contains("raw-to-"), "{w}: {row}");
    }
}
