//! The action gate: read-only refusal for every action, the journal's
//! intent-before-call and outcome-after ordering.

use crate::common;
use pipedeck::panes::PaneId;

use async_trait::async_trait;
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{
    CloudMutate, CloudRead, CloudResult, GlueJob, Identity, JobRun, StopOutcome,
};
use pipedeck::gate::{self, Action, Decision, GatePolicy, Journal, JournalContext, Phase};
use std::collections::BTreeMap;
use std::path::PathBuf;
use strum::IntoEnumIterator;

fn ctx() -> JournalContext {
    common::journal_context()
}

#[test]
fn every_action_is_refused_in_read_only_mode() {
    let mut n = 0;
    for action in Action::iter() {
        let policy = GatePolicy {
            read_only: true,
            typed_confirm: &[],
            context: ctx(),
        };
        match gate::request(action.clone(), Ok(()), policy) {
            Decision::Refused { reason, entry } => {
                assert!(reason.contains("read-only"), "{reason}");
                assert_eq!(entry.phase, Phase::Refused);
                assert_eq!(entry.action, action.name());
            }
            other => panic!("{action:?} was not refused: {other:?}"),
        }
        n += 1;
    }
    assert!(n >= 2);
}

#[test]
fn confirmation_names_resource_account_and_region() {
    let action = Action::StopGlueRuns {
        job: "raw-to-silver-transform".into(),
        run_ids: vec!["jr_1".into(), "jr_2".into()],
    };
    let typed = vec!["glue.stop_runs".to_string()];
    let policy = GatePolicy {
        read_only: false,
        typed_confirm: &typed,
        context: ctx(),
    };
    let Decision::Confirm(p) = gate::request(action, Ok(()), policy) else {
        panic!()
    };
    assert!(p.question.contains("Stop 2 runs"), "{}", p.question);
    assert!(p.question.contains("raw-to-silver-transform"));
    assert!(
        p.question.contains("123456789012/eu-west-1"),
        "{}",
        p.question
    );
    // A typed confirmation with the wrong name does not mint a token.
    let mut p = p;
    p.typed = "raw".into();
    let p = gate::confirm(p).unwrap_err();
    let mut p = p;
    p.typed = "raw-to-silver-transform".into();
    assert!(gate::confirm(p).is_ok());
}

/// A cloud that checks, at the moment of the mutating call, that the intent
/// line is already on disk.
struct Witness {
    journal: PathBuf,
    /// Every mutating call made, in order.
    calls: std::sync::Mutex<Vec<&'static str>>,
}

#[async_trait]
impl CloudRead for Witness {
    async fn identity(&self) -> CloudResult<Identity> {
        Ok(Identity::default())
    }
    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>> {
        Ok(vec![])
    }
    async fn glue_job_runs(&self, _: &str) -> CloudResult<Vec<JobRun>> {
        Ok(vec![])
    }
    async fn emr_clusters(&self) -> CloudResult<Vec<pipedeck::cloud::EmrCluster>> {
        Ok(vec![])
    }
    async fn emr_steps(&self, _: &str) -> CloudResult<Vec<pipedeck::cloud::EmrStep>> {
        Ok(vec![])
    }
    async fn dlqs(&self, _: &[String]) -> CloudResult<Vec<pipedeck::cloud::Dlq>> {
        Ok(vec![])
    }
    async fn dlq_progress(&self, _: &str, _: &str) -> CloudResult<pipedeck::cloud::DlqProgress> {
        unreachable!("not used here")
    }
    async fn dlq_metrics(&self, _: &[String]) -> CloudResult<pipedeck::cloud::DlqMetrics> {
        Ok(Default::default())
    }
    async fn peek(&self, _: &str, _: usize) -> CloudResult<Vec<pipedeck::cloud::QueueMessage>> {
        Ok(vec![])
    }
    async fn alarms(&self) -> CloudResult<Vec<pipedeck::cloud::Alarm>> {
        Ok(vec![])
    }
    async fn alarm_history(&self, _: &str) -> CloudResult<Vec<pipedeck::cloud::AlarmHistoryItem>> {
        Ok(vec![])
    }
    async fn alarm_chart(
        &self,
        _: &str,
        _: pipedeck::cloud::ChartWindow,
    ) -> CloudResult<pipedeck::cloud::MetricSeries> {
        Ok(Default::default())
    }
    async fn log_groups(&self, _: Option<&str>) -> CloudResult<Vec<pipedeck::cloud::LogGroup>> {
        Ok(vec![])
    }
    async fn start_query(&self, _: &pipedeck::cloud::InsightsQuery) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn query_results(&self, _: &str) -> CloudResult<pipedeck::cloud::QueryResults> {
        unreachable!("not used here")
    }
    async fn stop_query(&self, _: &str) -> CloudResult<()> {
        Ok(())
    }
    async fn log_record(&self, _: &str) -> CloudResult<std::collections::BTreeMap<String, String>> {
        unreachable!("not used here")
    }
    async fn query_definitions(&self) -> CloudResult<Vec<pipedeck::cloud::QueryDefinition>> {
        unreachable!("not used here")
    }
}

impl Witness {
    fn at(journal: PathBuf) -> Self {
        Self {
            journal,
            calls: Default::default(),
        }
    }

    /// At the call: the intent line is on disk, the outcome is not yet.
    fn witness(&self, call: &'static str) {
        self.calls.lock().unwrap().push(call);
        self.intent_only();
    }

    fn intent_only(&self) {
        let text = std::fs::read_to_string(&self.journal).expect("journal exists before the call");
        assert!(text.contains("\"phase\":\"intent\""), "{text}");
        assert!(!text.contains("\"phase\":\"outcome\""));
    }
}

#[async_trait]
impl CloudMutate for Witness {
    async fn start_job_run(
        &self,
        _: &gate::Approved,
        _: &str,
        _: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        self.witness("start_job_run");
        Ok("jr_new".into())
    }
    async fn stop_job_runs(
        &self,
        _: &gate::Approved,
        _: &str,
        ids: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        self.witness("stop_job_runs");
        Ok(ids
            .iter()
            .map(|id| StopOutcome {
                run_id: id.clone(),
                error: None,
            })
            .collect())
    }
    async fn cancel_steps(
        &self,
        _: &gate::Approved,
        _: &str,
        _: &[String],
    ) -> CloudResult<Vec<pipedeck::cloud::CancelOutcome>> {
        self.witness("cancel_steps");
        Ok(vec![])
    }
    async fn start_move_task(
        &self,
        _: &gate::Approved,
        _: &str,
        _: Option<&str>,
        _: Option<i32>,
    ) -> CloudResult<String> {
        self.witness("start_move_task");
        Ok("task-1".into())
    }
    async fn cancel_move_task(&self, _: &gate::Approved, _: &str) -> CloudResult<i64> {
        self.witness("cancel_move_task");
        Ok(0)
    }
    async fn purge_queue(&self, _: &gate::Approved, _: &str) -> CloudResult<()> {
        self.witness("purge_queue");
        Ok(())
    }
    async fn client_redrive(
        &self,
        _: &gate::Approved,
        plan: &pipedeck::cloud::RedrivePlan,
    ) -> pipedeck::cloud::RedriveOutcome {
        self.witness("client_redrive");
        // The gate hands the plan its own action id (FIFO dedup ids use it).
        let text = std::fs::read_to_string(&self.journal).unwrap();
        assert!(!plan.action_id.is_empty());
        assert!(text.contains(&plan.action_id), "{text}");
        pipedeck::cloud::RedriveOutcome {
            moved: 3,
            failed: 1,
            errors: vec!["send m4: KMS.AccessDenied".into()],
            ..Default::default()
        }
    }
    async fn set_alarm_actions(
        &self,
        _: &gate::Approved,
        _: &[String],
        _: bool,
    ) -> CloudResult<()> {
        self.witness("set_alarm_actions");
        Ok(())
    }
    async fn put_query_definition(
        &self,
        _: &gate::Approved,
        _: &pipedeck::cloud::QueryDefinition,
    ) -> CloudResult<String> {
        self.witness("put_query_definition");
        Ok("def-1".into())
    }
    async fn delete_query_definition(&self, _: &gate::Approved, _: &str) -> CloudResult<()> {
        self.witness("delete_query_definition");
        Ok(())
    }
    async fn create_named_query(
        &self,
        _: &gate::Approved,
        _: &pipedeck::cloud::athena::NamedQuery,
    ) -> CloudResult<String> {
        self.witness("create_named_query");
        Ok("nq-1".into())
    }
    async fn delete_named_query(&self, _: &gate::Approved, _: &str) -> CloudResult<()> {
        self.witness("delete_named_query");
        Ok(())
    }
    async fn mark_run_failed(
        &self,
        _: &gate::Approved,
        _: &str,
        _: &pipedeck::cloud::audit::Item,
        _: &str,
        _: &str,
    ) -> CloudResult<bool> {
        self.witness("mark_run_failed");
        Ok(true)
    }
}

#[tokio::test]
async fn intent_is_journaled_before_the_call_and_outcome_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/journal.jsonl");
    let cloud = Witness::at(path.clone());
    let report = gate::execute(
        &cloud,
        &Journal::at(path.clone()),
        common::approve(Action::RerunGlueJob {
            job: "etl".into(),
            from_run: "jr_old".into(),
            arguments: BTreeMap::new(),
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[0]["action_id"], lines[1]["action_id"]);
    assert_eq!(lines[1]["result"], "ok");
    for l in &lines {
        assert_eq!(l["account"], "123456789012");
        assert_eq!(l["profile"], "prod");
        assert_eq!(l["region"], "eu-west-1");
        assert_eq!(
            l["caller_arn"],
            "arn:aws:sts::123456789012:assumed-role/OnCall/me"
        );
        assert_eq!(l["action"], "glue.rerun");
        assert_eq!(l["target"], "etl");
        assert_eq!(l["count"], 1);
        assert!(l["time"].as_str().unwrap().ends_with('Z'));
    }
}

/// Every action, whatever its call: at the moment the mutating call is
/// made, its intent line is already on disk and no outcome is; the outcome
/// follows the call.
#[tokio::test]
async fn every_mutating_call_finds_its_intent_already_journaled() {
    let mut calls = Vec::new();
    for action in Action::iter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let cloud = Witness::at(path.clone());
        let name = action.name();
        gate::execute(&cloud, &Journal::at(path.clone()), common::approve(action)).await;
        let made = cloud.calls.lock().unwrap().clone();
        assert_eq!(made.len(), 1, "{name}: {made:?}");
        let phases: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["phase"].to_string())
            .collect();
        assert_eq!(phases, ["\"intent\"", "\"outcome\""], "{name}");
        calls.extend(made);
    }
    calls.sort();
    calls.dedup();
    assert_eq!(
        calls,
        [
            "cancel_move_task",
            "cancel_steps",
            "client_redrive",
            "create_named_query",
            "delete_named_query",
            "delete_query_definition",
            "mark_run_failed",
            "purge_queue",
            "put_query_definition",
            "set_alarm_actions",
            "start_job_run",
            "start_move_task",
            "stop_job_runs",
        ],
        "every mutating call was witnessed"
    );
}

#[tokio::test]
async fn a_client_redrive_is_journaled_with_its_counts_and_partial_result() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let cloud = Witness::at(path.clone());
    let report = gate::execute(
        &cloud,
        &Journal::at(path.clone()),
        common::approve(Action::ClientRedrive {
            queue: "orders-dlq".into(),
            count: 4,
            destination: "orders".into(),
            plan: pipedeck::cloud::RedrivePlan::default(),
        }),
    )
    .await;
    assert!(!report.ok);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[0]["action"], "sqs.client_redrive");
    assert_eq!(lines[0]["count"], 4);
    assert_eq!(lines[1]["result"], "partial");
    let detail = lines[1]["detail"].as_str().unwrap();
    assert!(
        detail.contains("moved 3") && detail.contains("1 failed to send"),
        "{detail}"
    );
}

#[test]
fn purge_always_asks_for_the_queue_name_even_when_not_configured() {
    let policy = GatePolicy {
        read_only: false,
        typed_confirm: &[],
        context: ctx(),
    };
    let action = Action::PurgeDlq {
        queue: "orders-dlq".into(),
        url: "https://sqs/1/orders-dlq".into(),
        count: 12,
    };
    match gate::request(action, Ok(()), policy) {
        gate::Decision::Confirm(p) => {
            assert_eq!(
                p.kind,
                gate::ConfirmKind::Typed {
                    expect: "orders-dlq".into()
                }
            );
            assert!(p.question.contains("12 message(s)"), "{}", p.question);
            assert!(gate::confirm(p).is_err(), "nothing typed, no token");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn no_journal_no_mutation() {
    // A journal path under a regular file cannot be created.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let cloud = Witness::at(blocker.join("never"));
    let report = gate::execute(
        &cloud,
        &Journal::at(blocker.join("journal.jsonl")),
        common::approve(Action::RerunGlueJob {
            job: "etl".into(),
            from_run: "jr_old".into(),
            arguments: BTreeMap::new(),
        }),
    )
    .await;
    assert!(!report.ok);
    assert!(
        report.summary.contains("cannot write the journal"),
        "{}",
        report.summary
    );
    assert!(cloud.calls.lock().unwrap().is_empty(), "nothing was called");
}

#[tokio::test]
async fn demo_account_enforces_max_concurrent_runs_like_glue() {
    let demo = DemoCloud::new(Clock::Fixed(common::now()));
    // orders-bronze-to-silver is running its re-run at MaxConcurrentRuns 1.
    let report = gate::execute(
        &demo,
        &Journal::disabled(),
        common::approve(Action::RerunGlueJob {
            job: "orders-bronze-to-silver".into(),
            from_run: "x".into(),
            arguments: BTreeMap::new(),
        }),
    )
    .await;
    assert!(!report.ok);
    assert_eq!(
        report.summary,
        gate::concurrency_message("orders-bronze-to-silver")
    );
    let jobs = demo.glue_jobs().await.unwrap();
    let j = jobs
        .iter()
        .find(|j| j.name == "orders-bronze-to-silver")
        .unwrap();
    assert!(j.latest_run().unwrap().state.is_active());
}

#[test]
fn the_journal_pane_shows_earlier_shifts_and_skips_bad_lines() {
    use pipedeck::gate::stamp;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(path.clone());
    let policy = || GatePolicy {
        read_only: true,
        typed_confirm: &[],
        context: ctx(),
    };
    for job in ["first-job", "second-job"] {
        let action = Action::RerunGlueJob {
            job: job.into(),
            from_run: "jr_1".into(),
            arguments: BTreeMap::new(),
        };
        let Decision::Refused { entry, .. } = gate::request(action, Ok(()), policy()) else {
            panic!()
        };
        journal.append(&stamp(*entry, None)).unwrap();
    }
    // A torn write and some garbage must not hide the rest.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    writeln!(f, "{{\"time\": \"2026-").unwrap();
    writeln!(f, "\u{1b}[31mnot json").unwrap();
    let (entries, bad) = journal.recent(100);
    assert_eq!(bad, 2);
    let targets: Vec<_> = entries.iter().map(|e| e.target.as_str()).collect();
    assert_eq!(targets, ["first-job", "second-job"], "oldest first");
    assert_eq!(
        journal.recent(1).0[0].target,
        "second-job",
        "the newest are kept"
    );

    let mut s = common::empty_state(false);
    s.panes.journal.load_history(entries, bad);
    common::goto(&mut s, PaneId::Journal);
    let screen = common::text(&common::render(&s, 120, 20));
    assert!(screen.contains("0 this session, 2 earlier"), "{screen}");
    assert!(screen.contains("2 unreadable lines skipped"), "{screen}");
    let second = screen.find("second-job").unwrap();
    let first = screen.find("first-job").unwrap();
    assert!(second < first, "newest first on screen");
}
