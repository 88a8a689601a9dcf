//! The demo's Logs Insights state: queries started (each answers Running,
//! then Complete, through the evaluator in `logs.rs`) and the account's
//! saved queries.

use super::logs::{check, results, Event};
use crate::cloud::logs::{InsightsQuery, QueryDefinition, QueryLanguage, QueryResults};
use crate::cloud::{CloudError, CloudResult};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// The demo's Insights state: queries started, and the saved queries.
#[derive(Default)]
pub struct Queries {
    /// id → (query, polls so far, stopped).
    started: BTreeMap<String, (InsightsQuery, u32, bool)>,
    saved: Vec<QueryDefinition>,
    saved_ids: u32,
}

impl Queries {
    /// With the saved queries a team would have.
    pub fn seeded(now: DateTime<Utc>) -> Self {
        let mut q = Queries::default();
        use QueryLanguage::{Cwli, Ppl};
        let seed = [
            ("pipeline/log lines by group", Cwli, "stats count(*) as lines by bin(30m), @log", vec!["/aws-glue/jobs/error", "/aws-glue/jobs/output", "/pipelines/dq/error", "/aws/lambda/file-arrival-handler"]),
            ("glue/errors per stream", Cwli, "filter @message like /ERROR/\n| stats count(*) as errors by @logStream\n| sort errors desc", vec!["/aws-glue/jobs/error", "/pipelines/dq/error"]),
            // A teammate's OpenSearch PPL query: listed and loaded, but the
            // demo's evaluator reads Logs Insights QL only.
            ("glue/errors per stream (ppl)", Ppl, "where like(@message, '%ERROR%')\n| stats count() as errors by @logStream", vec!["/aws-glue/jobs/error"]),
            ("lambda/empty uploads", Cwli, "fields @timestamp, @message\n| filter @message like /0 bytes/\n| sort @timestamp desc\n| limit 50", vec!["/aws/lambda/file-arrival-handler"]),
        ];
        for (name, language, query, groups) in seed {
            let _ = q.put(&QueryDefinition {
                id: None,
                name: name.into(),
                query: query.into(),
                groups: groups.into_iter().map(str::to_string).collect(),
                last_modified: Some(now - Duration::days(3)),
                language,
            });
        }
        q
    }

    pub fn start(&mut self, query: &InsightsQuery) -> CloudResult<String> {
        // The evaluator reads Logs Insights QL: anything else is refused,
        // never run as if it were.
        if !query.language.is_cwli() {
            return Err(CloudError::InvalidInput {
                message: format!(
                    "the demo account runs Logs Insights QL queries only; this one is {} — on AWS it runs as such",
                    query.language.name()
                ),
            });
        }
        check(query)?;
        let id = format!("demo-query-{}", self.started.len() + 1);
        self.started.insert(id.clone(), (query.clone(), 0, false));
        Ok(id)
    }

    pub fn poll(&mut self, id: &str, all: &[Event]) -> CloudResult<QueryResults> {
        let (q, polls, stopped) = self
            .started
            .get_mut(id)
            .ok_or_else(|| CloudError::NotFound {
                message: format!("query {id} not found"),
            })?;
        *polls += 1;
        Ok(results(q, *polls, *stopped, all))
    }

    pub fn stop(&mut self, id: &str) {
        if let Some(q) = self.started.get_mut(id) {
            q.2 = true;
        }
    }

    pub fn saved(&self) -> Vec<QueryDefinition> {
        let mut out = self.saved.clone();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    pub fn put(&mut self, def: &QueryDefinition) -> CloudResult<String> {
        if def.name.trim().is_empty() || def.query.trim().is_empty() {
            return Err(CloudError::InvalidInput {
                message: "a saved query needs a name and a query string".into(),
            });
        }
        let id = match &def.id {
            Some(id) => {
                let Some(slot) = self.saved.iter_mut().find(|d| d.id.as_ref() == Some(id)) else {
                    return Err(CloudError::NotFound {
                        message: format!("query definition {id} does not exist"),
                    });
                };
                *slot = def.clone();
                id.clone()
            }
            None => {
                self.saved_ids += 1;
                let id = format!("demo-def-{:04}", self.saved_ids);
                let mut d = def.clone();
                d.id = Some(id.clone());
                self.saved.push(d);
                id
            }
        };
        Ok(id)
    }

    pub fn delete(&mut self, id: &str) -> CloudResult<()> {
        let before = self.saved.len();
        self.saved.retain(|d| d.id.as_deref() != Some(id));
        if self.saved.len() == before {
            return Err(CloudError::NotFound {
                message: format!("query definition {id} does not exist"),
            });
        }
        Ok(())
    }
}
