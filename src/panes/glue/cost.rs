//! DPU-seconds: reported by Glue for Flex and auto-scaling jobs only;
//! otherwise estimated from capacity × time and labelled as an estimate.

use crate::cloud::JobRun;

/// Standard Glue ETL price per DPU-hour (us-east-1); a rough guide only.
pub const USD_PER_DPU_HOUR: f64 = 0.44;

#[derive(Debug, Clone, PartialEq)]
pub enum DpuFigure {
    Reported(f64),
    Estimated { dpu_seconds: f64, basis: String },
}

impl DpuFigure {
    pub fn dpu_seconds(&self) -> f64 {
        match self {
            DpuFigure::Reported(v) => *v,
            DpuFigure::Estimated { dpu_seconds, .. } => *dpu_seconds,
        }
    }
}

/// DPUs per worker for the documented worker types.
fn dpu_per_worker(worker_type: &str) -> Option<f64> {
    Some(match worker_type {
        "G.025X" => 0.25,
        "Standard" | "G.1X" | "R.1X" => 1.0,
        "G.2X" | "R.2X" | "Z.2X" => 2.0,
        "G.4X" | "R.4X" => 4.0,
        "G.8X" | "R.8X" => 8.0,
        "G.12X" => 12.0,
        "G.16X" => 16.0,
        _ => return None,
    })
}

/// `elapsed_s` is ExecutionTime, or time since start for a running run.
pub fn dpu_estimate(run: &JobRun, elapsed_s: i64) -> Option<DpuFigure> {
    if let Some(v) = run.dpu_seconds {
        return Some(DpuFigure::Reported(v));
    }
    let secs = elapsed_s.max(0) as f64;
    if let (Some(wt), Some(n)) = (run.worker_type.as_deref(), run.number_of_workers) {
        let per = dpu_per_worker(wt)?;
        return Some(DpuFigure::Estimated {
            dpu_seconds: per * f64::from(n) * secs,
            basis: format!("{n} × {wt} ({per} DPU) × {}s", secs as i64),
        });
    }
    run.max_capacity.map(|cap| DpuFigure::Estimated {
        dpu_seconds: cap * secs,
        basis: format!("{cap} DPU × {}s", secs as i64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::RunState;

    fn run() -> JobRun {
        JobRun {
            id: "jr_1".into(),
            job_name: "j".into(),
            state: RunState::Succeeded,
            attempt: 0,
            started_on: None,
            completed_on: None,
            execution_time_s: Some(100),
            dpu_seconds: None,
            worker_type: Some("G.2X".into()),
            number_of_workers: Some(5),
            max_capacity: None,
            arguments: Default::default(),
            error_message: None,
            trigger_name: None,
            log_group_name: None,
            glue_version: None,
            security_configuration: None,
            job_arguments: Default::default(),
        }
    }

    #[test]
    fn reported_wins_and_estimate_uses_workers() {
        let mut r = run();
        assert_eq!(dpu_estimate(&r, 100).unwrap().dpu_seconds(), 1000.0);
        r.dpu_seconds = Some(42.0);
        assert_eq!(dpu_estimate(&r, 100), Some(DpuFigure::Reported(42.0)));
        let mut r = run();
        r.worker_type = None;
        r.max_capacity = Some(10.0);
        assert_eq!(dpu_estimate(&r, 60).unwrap().dpu_seconds(), 600.0);
        r.max_capacity = None;
        assert_eq!(dpu_estimate(&r, 60), None);
    }
}
