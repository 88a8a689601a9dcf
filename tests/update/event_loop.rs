//! The UI never waits on the network, proven on the real event loop: every
//! Cloud call hangs until the test releases it, and keys still work.

use crate::common;

use async_trait::async_trait;
use crossterm::event::Event;
use pipedeck::cloud::{
    CloudMutate, CloudRead, CloudResult, Dlq, DlqMetrics, DlqProgress, GlueJob, Identity, JobRun,
    QueueMessage, RedriveOutcome, RedrivePlan, StopOutcome,
};
use pipedeck::config::PollConfig;
use pipedeck::gate::{Approved, Journal};
use pipedeck::runtime::{run_loop, LoopEnv};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

/// Every call counts itself and then waits for a permit that only the test
/// hands out.
struct Stalled {
    started: AtomicUsize,
    finished: AtomicUsize,
    gate: Semaphore,
}

impl Stalled {
    async fn hang(&self) {
        self.started.fetch_add(1, Ordering::SeqCst);
        let _permit = self.gate.acquire().await.expect("gate open");
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl CloudRead for Stalled {
    async fn identity(&self) -> CloudResult<Identity> {
        self.hang().await;
        Ok(Identity::default())
    }
    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn glue_job_runs(&self, _: &str) -> CloudResult<Vec<JobRun>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn emr_clusters(&self) -> CloudResult<Vec<pipedeck::cloud::EmrCluster>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn emr_steps(&self, _: &str) -> CloudResult<Vec<pipedeck::cloud::EmrStep>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn dlqs(&self, _: &[String]) -> CloudResult<Vec<Dlq>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn dlq_progress(&self, _: &str, _: &str) -> CloudResult<DlqProgress> {
        self.hang().await;
        unreachable!("no redrive runs here")
    }
    async fn dlq_metrics(&self, _: &[String]) -> CloudResult<DlqMetrics> {
        self.hang().await;
        Ok(DlqMetrics::default())
    }
    async fn peek(&self, _: &str, _: usize) -> CloudResult<Vec<QueueMessage>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn alarms(&self) -> CloudResult<Vec<pipedeck::cloud::Alarm>> {
        self.hang().await;
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
    async fn audit_runs(&self) -> CloudResult<Vec<pipedeck::cloud::audit::TableRead>> {
        self.hang().await;
        Ok(vec![])
    }
}

#[async_trait]
impl CloudMutate for Stalled {
    async fn start_job_run(
        &self,
        _: &Approved,
        _: &str,
        _: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        self.hang().await;
        Ok(String::new())
    }
    async fn stop_job_runs(
        &self,
        _: &Approved,
        _: &str,
        _: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        self.hang().await;
        Ok(vec![])
    }
    async fn cancel_steps(
        &self,
        _: &Approved,
        _: &str,
        _: &[String],
    ) -> CloudResult<Vec<pipedeck::cloud::CancelOutcome>> {
        unreachable!("not used here")
    }
    async fn start_move_task(
        &self,
        _: &Approved,
        _: &str,
        _: Option<&str>,
        _: Option<i32>,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn cancel_move_task(&self, _: &Approved, _: &str) -> CloudResult<i64> {
        unreachable!("not used here")
    }
    async fn purge_queue(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn client_redrive(&self, _: &Approved, _: &RedrivePlan) -> RedriveOutcome {
        unreachable!("not used here")
    }
    async fn set_alarm_actions(&self, _: &Approved, _: &[String], _: bool) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn put_query_definition(
        &self,
        _: &Approved,
        _: &pipedeck::cloud::QueryDefinition,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn delete_query_definition(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn create_named_query(
        &self,
        _: &Approved,
        _: &pipedeck::cloud::athena::NamedQuery,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn delete_named_query(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn mark_run_failed(
        &self,
        _: &Approved,
        _: &str,
        _: &pipedeck::cloud::audit::Item,
        _: &str,
        _: &str,
    ) -> CloudResult<bool> {
        unreachable!("not used here")
    }
}

/// Waits (with a generous deadline, not a fixed sleep) for a frame that
/// satisfies `want`.
async fn frame_where(
    rx: &mut mpsc::UnboundedReceiver<String>,
    want: impl Fn(&str) -> bool,
) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(f)) if want(&f) => return f,
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the loop ended before the expected frame"),
            Err(_) => panic!("no such frame within 20 s"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_act_while_every_cloud_call_is_pending() {
    let cloud = Arc::new(Stalled {
        started: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        gate: Semaphore::new(0),
    });
    let (frames_tx, mut frames) = mpsc::unbounded_channel();
    let (keys, events) = futures::channel::mpsc::unbounded::<std::io::Result<Event>>();
    let mut state = common::empty_state(false);
    let env = LoopEnv {
        cloud: cloud.clone(),
        journal: Journal::disabled(),
        poll: PollConfig::default(),
        theme: common::theme(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
        on_frame: Some(Box::new(move |b| {
            let _ = frames_tx.send(common::text(b));
        })),
        stop: None,
        terminal_clipboard: false,
        system_clipboard: false,
        state_dir: None,
    };
    let ui = tokio::spawn(async move {
        let backend = ratatui::backend::TestBackend::new(100, 30);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        run_loop(&mut terminal, events, &mut state, env).await
    });
    let send = |k: &str| {
        keys.unbounded_send(Ok(Event::Key(common::key(k)))).unwrap();
    };

    frame_where(&mut frames, |f| f.contains("Loading Glue jobs")).await;
    // Pollers are in flight and stuck.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while cloud.started.load(Ordering::SeqCst) < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "pollers never started"
        );
        tokio::task::yield_now().await;
    }

    send("?");
    frame_where(&mut frames, |f| f.contains("Help — ? or esc to close")).await;
    send("esc");
    frame_where(&mut frames, |f| !f.contains("Help —")).await;
    send("tab");
    frame_where(&mut frames, |f| f.contains("Loading EMR clusters")).await;
    send("3");
    frame_where(&mut frames, |f| {
        f.contains("Looking for dead-letter queues")
    })
    .await;
    send("4");
    frame_where(&mut frames, |f| f.contains("Loading CloudWatch alarms")).await;
    send("5");
    frame_where(&mut frames, |f| f.contains("Write a query (e)")).await;
    send("6");
    frame_where(&mut frames, |f| f.contains("work group primary")).await;
    send("7");
    frame_where(&mut frames, |f| f.contains("Reading the audit tables")).await;
    send("8");
    frame_where(&mut frames, |f| f.contains("Journal — 0 this session")).await;
    send(":");
    for c in "glue".chars() {
        send(&c.to_string());
    }
    send("enter");
    frame_where(&mut frames, |f| f.contains("Loading Glue jobs")).await;
    assert_eq!(
        cloud.finished.load(Ordering::SeqCst),
        0,
        "no call was released yet"
    );

    send("q");
    let result = tokio::time::timeout(Duration::from_secs(20), ui)
        .await
        .expect("q quits while calls are pending")
        .unwrap();
    assert!(result.is_ok());
    assert_eq!(cloud.finished.load(Ordering::SeqCst), 0);
    cloud.gate.add_permits(100);
}

/// Panics on the first Glue call, answers afterwards.
struct PanicsOnce {
    calls: AtomicUsize,
}

#[async_trait]
impl CloudRead for PanicsOnce {
    async fn identity(&self) -> CloudResult<Identity> {
        Ok(Identity::default())
    }
    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("a malformed response the parser did not expect");
        }
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
    async fn dlqs(&self, _: &[String]) -> CloudResult<Vec<Dlq>> {
        Ok(vec![])
    }
    async fn dlq_progress(&self, _: &str, _: &str) -> CloudResult<DlqProgress> {
        unreachable!("no redrive runs here")
    }
    async fn dlq_metrics(&self, _: &[String]) -> CloudResult<DlqMetrics> {
        Ok(DlqMetrics::default())
    }
    async fn peek(&self, _: &str, _: usize) -> CloudResult<Vec<QueueMessage>> {
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

#[async_trait]
impl CloudMutate for PanicsOnce {
    async fn start_job_run(
        &self,
        _: &Approved,
        _: &str,
        _: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        unreachable!()
    }
    async fn stop_job_runs(
        &self,
        _: &Approved,
        _: &str,
        _: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        unreachable!()
    }
    async fn cancel_steps(
        &self,
        _: &Approved,
        _: &str,
        _: &[String],
    ) -> CloudResult<Vec<pipedeck::cloud::CancelOutcome>> {
        unreachable!("not used here")
    }
    async fn start_move_task(
        &self,
        _: &Approved,
        _: &str,
        _: Option<&str>,
        _: Option<i32>,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn cancel_move_task(&self, _: &Approved, _: &str) -> CloudResult<i64> {
        unreachable!("not used here")
    }
    async fn purge_queue(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn client_redrive(&self, _: &Approved, _: &RedrivePlan) -> RedriveOutcome {
        unreachable!("not used here")
    }
    async fn set_alarm_actions(&self, _: &Approved, _: &[String], _: bool) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn put_query_definition(
        &self,
        _: &Approved,
        _: &pipedeck::cloud::QueryDefinition,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn delete_query_definition(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn create_named_query(
        &self,
        _: &Approved,
        _: &pipedeck::cloud::athena::NamedQuery,
    ) -> CloudResult<String> {
        unreachable!("not used here")
    }
    async fn delete_named_query(&self, _: &Approved, _: &str) -> CloudResult<()> {
        unreachable!("not used here")
    }
    async fn mark_run_failed(
        &self,
        _: &Approved,
        _: &str,
        _: &pipedeck::cloud::audit::Item,
        _: &str,
        _: &str,
    ) -> CloudResult<bool> {
        unreachable!("not used here")
    }
}

#[tokio::test]
async fn a_poller_that_panics_is_restarted() {
    use pipedeck::app::{Msg, Resource};
    let cloud = Arc::new(PanicsOnce {
        calls: AtomicUsize::new(0),
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut fx = pipedeck::runtime::Effects::new(
        cloud.clone(),
        Journal::disabled(),
        PollConfig::default(),
        tx,
    );
    let wanted = [(Resource::GlueJobs, true)];
    fx.reconcile(&wanted);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let msg = loop {
        // The event loop reconciles after every message and tick; do the same.
        fx.reconcile(&wanted);
        match tokio::time::timeout(Duration::from_millis(50), rx.recv()).await {
            Ok(Some(m)) => break m,
            _ => assert!(
                tokio::time::Instant::now() < deadline,
                "poller never came back"
            ),
        }
    };
    assert!(matches!(
        msg,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            result: Ok(_),
            ..
        }
    ));
    assert_eq!(cloud.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stop_query_effect_reaches_the_service_before_the_runtime_finishes() {
    use pipedeck::app::Effect;
    use pipedeck::cloud::demo::{Clock, DemoCloud};
    use pipedeck::runtime::Effects;
    let demo = Arc::new(DemoCloud::new(Clock::Live));
    let q = pipedeck::cloud::InsightsQuery {
        groups: vec!["/aws-glue/jobs/error".into()],
        start: chrono::Utc::now() - chrono::Duration::hours(1),
        end: chrono::Utc::now(),
        query: "fields @message".into(),
        language: Default::default(),
    };
    let id = demo.start_query(&q).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let mut effects = Effects::new(demo.clone(), Journal::disabled(), PollConfig::default(), tx);
    // What quitting with a running query produces: StopQuery, then the
    // loop ends and `finish` waits for it (as for gate actions).
    effects.run(Effect::StopQuery(id.clone()));
    effects.finish(Duration::from_secs(5)).await;
    let r = demo.query_results(&id).await.unwrap();
    assert_eq!(r.status, pipedeck::cloud::QueryStatus::Cancelled);
}
