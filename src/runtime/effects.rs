//! Runs effects: pollers (one task per subscribed resource), refreshes,
//! gate executions and journal writes. Results come back as messages.

use super::backoff::{jitter, Backoff};
use super::fetch::fetch_streaming;
use crate::app::{Data, Effect, Msg, Resource};
use crate::cloud::SharedCloud;
use crate::config::PollConfig;
use crate::gate::{self, Journal};
use chrono::Utc;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Notify};
use tokio::task::JoinHandle;

struct Poller {
    visible: watch::Sender<bool>,
    refresh: Arc<Notify>,
    task: JoinHandle<()>,
}

pub struct Effects {
    cloud: SharedCloud,
    journal: Journal,
    poll: PollConfig,
    tx: mpsc::UnboundedSender<Msg>,
    pollers: HashMap<Resource, Poller>,
    tasks: Vec<JoinHandle<()>>,
    /// Gate executions; awaited (briefly) on quit so no intent is left
    /// without its outcome line.
    actions: Vec<JoinHandle<()>>,
    /// Where Copy goes (nowhere in tests).
    clipboard: super::clipboard::Clipboard,
    /// Where panes keep their state; `None` keeps it in memory only.
    state_dir: Option<std::path::PathBuf>,
}

impl Effects {
    pub fn new(
        cloud: SharedCloud,
        journal: Journal,
        poll: PollConfig,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> Self {
        Self {
            cloud,
            journal,
            poll,
            tx,
            pollers: HashMap::new(),
            tasks: Vec::new(),
            actions: Vec::new(),
            clipboard: Default::default(),
            state_dir: None,
        }
    }

    pub fn with_state_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.state_dir = dir;
        self
    }

    /// Lets Copy write an OSC 52 sequence to stdout: the terminal (also over
    /// SSH, and tmux with set-clipboard) puts the text on the clipboard.
    pub fn with_terminal_clipboard(mut self) -> Self {
        self.clipboard = super::clipboard::Clipboard::Terminal;
        self
    }

    /// Copy to the desktop clipboard where there is one (else OSC 52).
    pub fn with_system_clipboard(mut self) -> Self {
        self.clipboard = super::clipboard::Clipboard::System(None);
        self
    }

    pub fn run(&mut self, effect: Effect) {
        self.tasks.retain(|t| !t.is_finished());
        match effect {
            Effect::Refresh(r) => match self.pollers.get(&r) {
                Some(p) => p.refresh.notify_one(),
                None => {
                    let (cloud, tx) = (self.cloud.clone(), self.tx.clone());
                    self.tasks.push(tokio::spawn(async move {
                        // A read in parts (Athena's rows) tells each part.
                        let partial = progress_to(&tx, &r);
                        let result = fetch_streaming(&*cloud, &r, &partial).await;
                        let _ = tx.send(Msg::Loaded {
                            resource: r,
                            at: Utc::now(),
                            result,
                            next_in: None,
                        });
                    }));
                }
            },
            // A lock and a flag in the cloud: never a call, never a wait.
            Effect::ReadEverything => self.cloud.read_everything_next(),
            Effect::Execute(approved) => {
                let (cloud, tx, journal) =
                    (self.cloud.clone(), self.tx.clone(), self.journal.clone());
                self.actions.retain(|t| !t.is_finished());
                self.actions.push(tokio::spawn(async move {
                    let report = gate::execute(&*cloud, &journal, approved).await;
                    let _ = tx.send(Msg::ActionDone(report));
                }));
            }
            Effect::Journal(entry) => {
                let (tx, journal) = (self.tx.clone(), self.journal.clone());
                self.tasks.push(tokio::task::spawn_blocking(move || {
                    let entry = gate::stamp(entry, None);
                    let msg = match journal.append(&entry) {
                        Ok(()) => Ok(entry),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Msg::Journaled(msg));
                }));
            }
            Effect::Copy(text) => self.clipboard.copy(&text),
            Effect::StopQuery(id) => {
                let cloud = self.cloud.clone();
                self.actions.retain(|t| !t.is_finished());
                self.actions.push(tokio::spawn(async move {
                    if let Err(e) = cloud.stop_query(&id).await {
                        tracing::warn!(query = %id, error = %e, "StopQuery failed");
                    }
                }));
            }
            Effect::StopAthena(id) => {
                let cloud = self.cloud.clone();
                self.actions.retain(|t| !t.is_finished());
                self.actions.push(tokio::spawn(async move {
                    if let Err(e) = cloud.athena_stop(&id).await {
                        tracing::warn!(query = %id, error = %e, "StopQueryExecution failed");
                    }
                }));
            }
            Effect::Bell => {
                if self.clipboard.on_terminal() {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    let _ = out.write_all(b"\x07");
                    let _ = out.flush();
                }
            }
            Effect::AddAuditTable { path, toml } => {
                let tx = self.tx.clone();
                self.tasks.push(tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::FileWritten(add_audit_table(&path, &toml)));
                }));
            }
            Effect::SaveState { file, json } => {
                if let Some(dir) = self.state_dir.clone() {
                    self.tasks.push(tokio::task::spawn_blocking(move || {
                        if let Err(e) = write_state(&dir.join(file), &json) {
                            tracing::warn!(file, error = %e, "could not save pane state");
                        }
                    }));
                }
            }
            Effect::Export {
                path,
                table,
                format,
                done,
            } => {
                let tx = self.tx.clone();
                self.tasks.push(tokio::task::spawn_blocking(move || {
                    let result = write_export(&path, &table.render(format))
                        .map(|written| format!("{done} to {}", written.display()));
                    let _ = tx.send(Msg::FileWritten(result));
                }));
            }
            Effect::Quit => {}
        }
    }

    /// Starts pollers for new subscriptions, stops those no longer wanted,
    /// and tells the rest whether their pane is visible.
    pub fn reconcile(&mut self, wanted: &[(Resource, bool)]) {
        self.pollers.retain(|r, p| {
            // A poller that died (a panic in a fetch) is dropped here and
            // started afresh below: one bad response never stops polling.
            let keep = wanted.iter().any(|(w, _)| w == r) && !p.task.is_finished();
            if !keep {
                p.task.abort();
            }
            keep
        });
        for (r, visible) in wanted {
            match self.pollers.get(r) {
                Some(p) => {
                    p.visible
                        .send_if_modified(|v| std::mem::replace(v, *visible) != *visible);
                }
                None => {
                    let p = self.spawn_poller(r.clone(), *visible);
                    self.pollers.insert(r.clone(), p);
                }
            }
        }
    }

    fn base_interval(&self, r: &Resource) -> Duration {
        PollConfig::secs(match r {
            Resource::Identity => self.poll.identity_secs,
            Resource::GlueJobs => self.poll.glue_secs,
            Resource::GlueRuns { .. } => self.poll.glue_runs_secs,
            Resource::EmrClusters => self.poll.emr_secs,
            Resource::EmrSteps { .. } => self.poll.emr_steps_secs,
            Resource::Dlqs { .. } => self.poll.dlq_secs,
            Resource::DlqMetrics { .. } => self.poll.dlq_metrics_secs,
            Resource::DlqProgress { .. } => self.poll.redrive_secs,
            Resource::Alarms => self.poll.alarms_secs,
            Resource::InsightsResults { .. } => self.poll.insights_secs,
            // Work groups and the catalog change rarely: re-read while shown.
            Resource::AthenaWorkGroups
            | Resource::AthenaCatalogs
            | Resource::AthenaDatabases { .. }
            | Resource::AthenaTables { .. } => self.poll.dlq_secs.max(60),
            // What ran: a new execution shows within half a minute while
            // the history is open (ended ones are never asked again).
            Resource::AthenaHistory { .. } => self.poll.dlq_secs.max(30),
            // A run record changes when a pipeline starts or ends: a
            // minute is soon enough, and each read costs the table's
            // capacity.
            Resource::AuditRuns => self.poll.dlq_secs.max(60),
            // A run's DQ results and errors rarely change once written, and
            // a table without an index on the run id is read by a capped
            // Scan: every five minutes (r reads now).
            Resource::AuditRecords(_) => self.poll.dlq_secs.max(300),
            // One Query a pipeline: hundreds of them are paced at 10/s.
            Resource::AuditPipelines { .. } => self.poll.dlq_secs.max(120),
            // One-shot requests, never polled.
            Resource::InsightsStart { .. }
            | Resource::LogGroups { .. }
            | Resource::LogRecord { .. }
            | Resource::ExistingLogGroups { .. }
            | Resource::QueryDefinitions
            | Resource::AthenaNamedQueries { .. }
            | Resource::AuditDetect { .. }
            | Resource::AthenaStart { .. }
            | Resource::AthenaExecution { .. }
            | Resource::AthenaRows { .. } => self.poll.max_backoff_secs,
            Resource::AlarmHistory { .. } | Resource::AlarmChart { .. } => {
                self.poll.alarm_detail_secs
            }
            // Never subscribed; a peek is one request.
            Resource::DlqPeek { .. } => self.poll.max_backoff_secs,
        })
    }

    fn spawn_poller(&self, resource: Resource, visible: bool) -> Poller {
        let (vis_tx, mut vis_rx) = watch::channel(visible);
        let refresh = Arc::new(Notify::new());
        let mut backoff = Backoff::new(
            self.base_interval(&resource),
            self.poll.hidden_factor,
            PollConfig::secs(self.poll.max_backoff_secs),
        );
        let (cloud, tx, notify) = (self.cloud.clone(), self.tx.clone(), refresh.clone());
        let task = tokio::spawn(async move {
            let partial = progress_to(&tx, &resource);
            loop {
                let result = fetch_streaming(&*cloud, &resource, &partial).await;
                backoff.record(result.is_ok());
                if let Err(e) = &result {
                    tracing::warn!(resource = %resource.describe(), error = %e, failures = backoff.failures(), "poll failed");
                }
                let started = tokio::time::Instant::now();
                let mut delay = jitter(backoff.delay(*vis_rx.borrow()));
                let msg = Msg::Loaded {
                    resource: resource.clone(),
                    at: Utc::now(),
                    result,
                    next_in: Some(delay),
                };
                if tx.send(msg).is_err() {
                    return; // the app is gone
                }
                loop {
                    tokio::select! {
                        _ = tokio::time::sleep_until(started + delay) => break,
                        _ = notify.notified() => break,
                        changed = vis_rx.changed() => {
                            if changed.is_err() { return; }
                            // Becoming visible shortens the wait; hiding lengthens it.
                            delay = backoff.delay(*vis_rx.borrow());
                        }
                    }
                }
            }
        });
        Poller {
            visible: vis_tx,
            refresh,
            task,
        }
    }

    /// Waits up to `limit` for actions in flight, then stops everything.
    pub async fn finish(&mut self, limit: Duration) {
        let pending: Vec<_> = self.actions.drain(..).collect();
        let _ = tokio::time::timeout(limit, futures::future::join_all(pending)).await;
        self.shutdown();
    }

    pub fn shutdown(&mut self) {
        for (_, p) in self.pollers.drain() {
            p.task.abort();
        }
        for t in self.tasks.drain(..).chain(self.actions.drain(..)) {
            t.abort();
        }
    }
}

/// Writes an export; `~/` means the home directory, and missing folders are
/// created (the default exports folder exists only once used). Says where,
/// or why not.
pub fn write_export(path: &str, contents: &str) -> Result<std::path::PathBuf, String> {
    let path = match path.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map(|d| d.home_dir().join(rest))
            .ok_or_else(|| "no home directory to expand ~ in".to_string())?,
        None => std::path::PathBuf::from(path),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, contents)
        .map(|()| std::fs::canonicalize(&path).unwrap_or(path.clone()))
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

impl Drop for Effects {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Writes a pane's state atomically (temp file + rename): a crash never
/// leaves half a file.
pub fn write_state(path: &std::path::Path, json: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, path)
}

/// Sends each part of a read in parts as `Msg::Progress` of `resource`.
fn progress_to(
    tx: &mpsc::UnboundedSender<Msg>,
    resource: &Resource,
) -> impl Fn(Data, usize, usize) + Send + Sync + 'static {
    let (tx, resource) = (tx.clone(), resource.clone());
    move |data, done, total| {
        let _ = tx.send(Msg::Progress {
            resource: resource.clone(),
            data,
            done,
            total,
        });
    }
}

/// The config file with a `[[audit.tables]]` entry added (or replaced),
/// written whole; what to tell the user either way.
fn add_audit_table(path: &std::path::Path, toml: &str) -> Result<String, String> {
    // A dotfiles symlink stays a symlink: the file it points at is written.
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let existing = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let text = crate::config::audit::add_tables(&existing, toml)?;
    write_state(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "added to {}; restart pipedeck to read the table",
        path.display()
    ))
}
