//! How one table's items read as runs: which attribute holds what, which
//! status words mean failed / partial / running / succeeded, and the DQ
//! score's scale and threshold. Written in `[[audit.tables]]`, or proposed
//! by `:audit detect`.

use super::{AttrValue, AuditRun, DqScore, Item, RunStatus};
pub use crate::config::audit::{Fields, StatusWords, TableKind, TableMapping};

/// Reading a word (the types are plain config data, in `config::audit`).
impl StatusWords {
    pub fn read(&self, word: &str) -> RunStatus {
        let is = |list: &[String]| list.iter().any(|w| w.eq_ignore_ascii_case(word.trim()));
        if is(&self.failed) {
            RunStatus::Failed
        } else if is(&self.partial) {
            RunStatus::Partial
        } else if is(&self.running) {
            RunStatus::Running
        } else if is(&self.succeeded) {
            RunStatus::Succeeded
        } else {
            RunStatus::Other(word.to_string())
        }
    }
}

/// Reading an item through a mapping.
impl TableMapping {
    fn threshold01(&self) -> f64 {
        let scale = self.scale();
        self.dq_threshold.map_or(0.95, |t| t / scale)
    }

    fn scale(&self) -> f64 {
        if self.dq_scale > 1.0 {
            100.0
        } else {
            1.0
        }
    }

    /// A score as the table writes it, on the 0–1 scale against the
    /// table's threshold (a run table's and a DQ table's alike).
    pub(super) fn dq_score(&self, raw: f64) -> DqScore {
        DqScore {
            score: raw / self.scale(),
            threshold: self.threshold01(),
            scale: self.scale(),
        }
    }

    /// The item as a run. `key_names`: the table's key attributes (kept
    /// for a conditional update).
    pub fn run_of(&self, item: &Item, key_names: &[String]) -> AuditRun {
        let f = &self.fields;
        let mut missing = Vec::new();
        let mut get = |name: &str, label: &'static str| -> Option<&AttrValue> {
            if name.is_empty() {
                return None;
            }
            match item.get(name) {
                None | Some(AttrValue::Null) => {
                    missing.push(label);
                    None
                }
                v => v,
            }
        };
        let text = |v: Option<&AttrValue>| v.map(AttrValue::text);
        let int = |v: Option<&AttrValue>| v.and_then(AttrValue::as_f64).map(|n| n as i64);
        let pipeline = text(get(&f.pipeline, "pipeline"));
        let run_id = text(get(&f.run_id, "run id"));
        let glue_run_id = text(get(&f.glue_run_id, "Glue run id"));
        let status_word = get(&f.status, "status").map(AttrValue::text);
        let status = match &status_word {
            Some(w) => self.status.read(w),
            None => RunStatus::Missing,
        };
        let started = get(&f.started, "start").and_then(AttrValue::as_time);
        // A running run has no end yet: not missing.
        let ended = match status {
            RunStatus::Running => item.get(&f.ended).and_then(AttrValue::as_time),
            _ => get(&f.ended, "end").and_then(AttrValue::as_time),
        };
        let duration_s = get(&f.duration, "duration")
            .and_then(AttrValue::as_f64)
            .or_else(|| Some((ended? - started?).num_milliseconds() as f64 / 1000.0));
        let rows_read = int(get(&f.rows_read, "rows read"));
        let rows_written = int(get(&f.rows_written, "rows written"));
        let rows_rejected = int(get(&f.rows_rejected, "rows rejected"));
        let dq = get(&f.dq_score, "DQ score")
            .and_then(AttrValue::as_f64)
            .map(|raw| self.dq_score(raw));
        // Errors only where there are any: a succeeded run has none.
        let failing = matches!(status, RunStatus::Failed | RunStatus::Partial);
        let error_message = match failing {
            true => text(get(&f.error_message, "error message")),
            false => item
                .get(&f.error_message)
                .filter(|v| **v != AttrValue::Null)
                .map(AttrValue::text),
        };
        let error_type = item
            .get(&f.error_type)
            .filter(|v| **v != AttrValue::Null)
            .map(AttrValue::text);
        let key = key_names
            .iter()
            .filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone())))
            .collect();
        AuditRun {
            table: self.name.clone(),
            pipeline,
            run_id,
            glue_run_id,
            status,
            status_word,
            started,
            ended,
            duration_s,
            rows_read,
            rows_written,
            rows_rejected,
            dq,
            error_message,
            error_type,
            key,
            missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttrValue {
        AttrValue::S(v.into())
    }

    fn n(v: &str) -> AttrValue {
        AttrValue::N(v.into())
    }

    fn recommended() -> TableMapping {
        TableMapping {
            // This table writes no Glue run id.
            fields: Fields {
                glue_run_id: String::new(),
                ..TableMapping::course_recommended("pipeline_audit").fields
            },
            ..TableMapping::course_recommended("pipeline_audit")
        }
    }

    #[test]
    fn a_failed_run_reads_with_its_numbers_error_and_key() {
        let item: Item = [
            ("pipeline_id", s("raw-to-silver")),
            ("run_timestamp", s("2024-01-15T08:00:00Z")),
            ("run_id", s("r-1")),
            ("status", s("failed")),
            ("start_time", s("2024-01-15T08:00:00Z")),
            ("end_time", s("2024-01-15T08:12:30Z")),
            ("rows_read", n("1482930")),
            ("rows_written", n("0")),
            ("rows_rejected", n("1201")),
            ("dq_score", n("91.5")),
            ("error_msg", s("DQ gate: 2 rules failed")),
            ("error_type", s("DQ_FAILURE")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let keys = vec!["pipeline_id".to_string(), "run_timestamp".to_string()];
        let r = recommended().run_of(&item, &keys);
        assert_eq!(r.status, RunStatus::Failed, "words compare without case");
        assert_eq!(r.pipeline.as_deref(), Some("raw-to-silver"));
        assert_eq!(r.duration_s, Some(750.0), "from start and end");
        assert_eq!(r.rows_read, Some(1_482_930));
        assert_eq!(r.rows_rejected, Some(1201));
        let dq = r.dq.unwrap();
        assert!(!dq.passed());
        assert_eq!(dq.label(), "91.5 / 95.0");
        assert_eq!(r.error_type.as_deref(), Some("DQ_FAILURE"));
        assert_eq!(r.key.len(), 2);
        assert!(r.missing.contains(&"duration"), "{:?}", r.missing);
    }

    #[test]
    fn unknown_words_and_missing_attributes_are_kept_as_such() {
        let item: Item = [("pipeline_id", s("p")), ("status", s("QUARANTINED"))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let r = recommended().run_of(&item, &[]);
        assert_eq!(r.status, RunStatus::Other("QUARANTINED".into()));
        assert_eq!(r.status.label(), "QUARANTINED");
        assert!(r.missing.contains(&"start"));
        assert!(r.missing.contains(&"rows written"));
        let none: Item = [("pipeline_id".to_string(), s("p"))].into_iter().collect();
        assert_eq!(recommended().run_of(&none, &[]).status, RunStatus::Missing);
        // NULL (the client API's "no error") is missing, not the text "null".
        let mut failed = item.clone();
        failed.insert("status".into(), s("FAILED"));
        failed.insert("error_msg".into(), AttrValue::Null);
        let r = recommended().run_of(&failed, &[]);
        assert_eq!(r.error_message, None);
        assert!(r.missing.contains(&"error message"));
    }

    #[test]
    fn a_running_run_has_no_end_yet_and_a_unit_scale_score_compares_the_same() {
        let item: Item = [
            ("status", s("STARTED")),
            ("start_time", n("1705305600")),
            ("dq_score", n("0.987")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let m = TableMapping {
            dq_scale: 1.0,
            dq_threshold: None,
            ..recommended()
        };
        let r = m.run_of(&item, &[]);
        assert_eq!(r.status, RunStatus::Running);
        assert!(!r.missing.contains(&"end"));
        assert!(r.dq.unwrap().passed(), "0.987 ≥ the default 0.95");
        assert_eq!(m.status.failed_word(), "FAILED");
    }
}
