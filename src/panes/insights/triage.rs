//! The triage key's arrival in Insights: the run's query and window go into
//! the editor, the run's candidate log groups are checked, and the query
//! runs on those that exist. A missing group is said, never fatal.

use super::{Focus, InsightsPane, Range, TriageState};
use crate::app::{Data, Effect, Resource};
use crate::cloud::logs::triage::Triage;
use crate::cloud::{CloudError, JobRun};
use crate::panes::Reply;
use chrono::{DateTime, Utc};

impl InsightsPane {
    pub(super) fn triage_run(&mut self, run: &JobRun, now: DateTime<Utc>) -> Reply {
        let triage = Triage::for_glue_run(run, &self.glue_logs, now);
        let mut effects = self.stop_effects();
        self.editor.set_text(&triage.query);
        self.language = crate::cloud::QueryLanguage::Cwli;
        self.range = Range::Absolute(triage.start, triage.end);
        self.focus = Focus::Results;
        self.error = None;
        self.recall = None;
        let names = triage.candidates.clone();
        self.triage = Some(TriageState {
            triage,
            found: None,
            check_error: None,
            tried: vec![],
        });
        effects.push(Effect::Refresh(Resource::ExistingLogGroups { names }));
        // The triage line under the editor says what is being checked and
        // what was found; a status-line message would outlive the answer.
        Reply::Handled(effects)
    }

    /// The candidates' check came back: run on those that exist.
    pub(super) fn triage_groups_known(
        &mut self,
        names: &[String],
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
    ) {
        let Some(t) = self.triage.as_mut() else {
            return;
        };
        if t.triage.candidates != names || t.found.is_some() {
            return;
        }
        let groups = match result {
            Ok(Data::ExistingLogGroups(found)) => found.clone(),
            // Could not list (e.g. no logs:DescribeLogGroups): try them all
            // and let StartQuery say which is missing.
            Err(e) => {
                t.check_error = Some(e.to_string());
                t.triage.candidates.clone()
            }
            Ok(_) => return,
        };
        if groups.is_empty() && !t.triage.fallback.is_empty() {
            // Nothing under the run's own prefix: Glue's default groups next.
            let tried = std::mem::replace(
                &mut t.triage.candidates,
                std::mem::take(&mut t.triage.fallback),
            );
            t.tried = tried;
            let names = t.triage.candidates.clone();
            self.pending
                .push(Effect::Refresh(Resource::ExistingLogGroups { names }));
            return;
        }
        t.found = Some(groups.clone());
        if groups.is_empty() {
            self.error = Some(format!(
                "none of the run's log groups exist: {} — does the job log elsewhere? ([insights.glue] in the config)",
                t.tried.iter().chain(&t.triage.candidates).cloned().collect::<Vec<_>>().join(", ")
            ));
            return;
        }
        self.memory.groups = groups;
        if let Reply::Handled(fx) | Reply::Tell { effects: fx, .. } = self.start(at) {
            self.pending.extend(fx);
        }
    }
}
