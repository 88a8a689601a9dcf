//! `:audit detect TABLE`: DescribeTable and a 25-item sample, the mapping
//! they suggest shown as the TOML it would add; `y` adds it to the config
//! file (comments and layout kept), `n` leaves it.

use super::{AuditPane, View};
use crate::app::{Data, Effect, Resource};
use crate::cloud::CloudError;
use crate::panes::Reply;
use chrono::{DateTime, Utc};

impl AuditPane {
    pub(super) fn detect(&mut self, args: &[&str]) -> Reply {
        let table = args.join(" ");
        let table = table.trim();
        if table.is_empty() {
            return Reply::Say(":audit detect TABLE — e.g. :audit detect pipeline_audit".into());
        }
        self.view = View::Detect {
            table: table.to_string(),
        };
        self.detection = None;
        self.detect_status = Default::default();
        Reply::Handled(vec![Effect::Refresh(Resource::AuditDetect {
            table: table.to_string(),
        })])
    }

    pub(super) fn detected(
        &mut self,
        table: &str,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
    ) {
        if self.view
            != (View::Detect {
                table: table.into(),
            })
        {
            return;
        }
        self.detect_status.record(at, result, None);
        if let Ok(Data::AuditDetect(d)) = result {
            self.detection = Some((**d).clone());
        }
    }

    /// The proposal as it would be added.
    pub fn proposal_toml(&self) -> Option<String> {
        crate::config::audit::toml_of(&self.detection.as_ref()?.mapping).ok()
    }

    /// y: the proposal into the config file.
    pub(super) fn keep_proposal(&mut self) -> Reply {
        let (Some(toml), Some(path)) = (self.proposal_toml(), self.config_file.clone()) else {
            return Reply::Say("nothing to add yet".into());
        };
        self.view = View::List;
        Reply::Handled(vec![Effect::AddAuditTable { path, toml }])
    }

    /// n / Esc: back to the runs, nothing written.
    pub(super) fn drop_proposal(&mut self) -> Reply {
        self.view = View::List;
        self.detection = None;
        Reply::Say("not added".into())
    }
}
