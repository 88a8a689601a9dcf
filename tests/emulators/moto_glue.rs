//! The real `aws` backend over HTTP against one moto server, started by
//! scripts/test.sh (PIPEDECK_MOTO_URL). Tests isolate themselves by job-name
//! prefix and take a lock, because moto's state-manager settings are global.

use crate::common;

use common::moto::{moto_url, prefix, sdk_config};

use pipedeck::cloud::aws::{AwsCloud, Clients, GluePaging};
use pipedeck::cloud::{CloudRead, RunState};
use pipedeck::gate::{self, Action, Journal};
use std::collections::BTreeMap;
use std::io::{Read, Write};

static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn setup(paging: GluePaging) -> (AwsCloud, aws_sdk_glue::Client) {
    let conf = sdk_config().await;
    let raw = aws_sdk_glue::Client::new(&conf);
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf)).with_paging(paging);
    (cloud, raw)
}

async fn create_job(raw: &aws_sdk_glue::Client, name: &str, max: i32) {
    raw.create_job()
        .name(name)
        .role("arn:aws:iam::123456789012:role/GlueRole")
        .command(
            aws_sdk_glue::types::JobCommand::builder()
                .name("glueetl")
                .script_location("s3://scripts/etl.py")
                .build(),
        )
        .execution_property(
            aws_sdk_glue::types::ExecutionProperty::builder()
                .max_concurrent_runs(max)
                .build(),
        )
        .worker_type(aws_sdk_glue::types::WorkerType::G1X)
        .number_of_workers(2)
        .send()
        .await
        .unwrap();
}

async fn start(raw: &aws_sdk_glue::Client, job: &str, args: &[(&str, &str)]) -> String {
    let mut req = raw.start_job_run().job_name(job);
    for (k, v) in args {
        req = req.arguments(*k, *v);
    }
    let id = req.send().await.unwrap().job_run_id().unwrap().to_string();
    // moto advances a run's state on reads; settle it before the next start.
    raw.get_job_run()
        .job_name(job)
        .run_id(&id)
        .send()
        .await
        .unwrap();
    id
}

/// moto's state manager has its own tiny HTTP API; a raw request keeps the
/// tests free of an extra HTTP client.
fn moto_api(path: &str, body: &str) {
    let url = moto_url();
    let hostport = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(hostport).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(
        resp.starts_with("HTTP/1.1 2") || resp.starts_with("HTTP/1.0 2"),
        "{resp}"
    );
}

/// Restores moto's default run transitions even when a test fails.
struct ManualRuns;

impl ManualRuns {
    fn hold() -> Self {
        moto_api(
            "/moto-api/state-manager/set-transition",
            r#"{"model_name": "glue::job_run", "transition": {"progression": "manual", "times": 100000}}"#,
        );
        ManualRuns
    }
}

impl Drop for ManualRuns {
    fn drop(&mut self) {
        moto_api(
            "/moto-api/state-manager/unset-transition",
            r#"{"model_name": "glue::job_run"}"#,
        );
    }
}

#[tokio::test]
async fn jobs_and_runs_follow_pages_and_sort_newest_first() {
    let _l = LOCK.lock().await;
    // List polls ask for MaxConcurrentRuns + 1 runs at least (4 here);
    // an opened job's history comes in pages of 2.
    let paging = GluePaging {
        jobs_page: Some(2),
        runs_page: 2,
        list_runs: 2,
        max_run_pages: 10,
    };
    let (cloud, raw) = setup(paging).await;
    let p = prefix("paging");
    let mut latest = BTreeMap::new();
    for i in 0..5 {
        let name = format!("{p}{i}");
        create_job(&raw, &name, 3).await;
        let mut last = String::new();
        for r in 0..3 {
            last = start(&raw, &name, &[("--attempt", &r.to_string())]).await;
        }
        latest.insert(name, last);
    }
    let jobs = cloud.glue_jobs().await.unwrap();
    let mine: Vec<_> = jobs.iter().filter(|j| j.name.starts_with(&p)).collect();
    assert_eq!(mine.len(), 5, "GetJobs pages of 2 were all followed");
    for j in mine {
        assert_eq!(
            j.runs.len(),
            3,
            "every run of {} (a page of MaxConcurrentRuns + 1)",
            j.name
        );
        assert_eq!(j.max_concurrent_runs, 3);
        let starts: Vec<_> = j.runs.iter().map(|r| r.started_on.unwrap()).collect();
        assert!(
            starts.windows(2).all(|w| w[0] >= w[1]),
            "newest first: {starts:?}"
        );
        let last = j.latest_run().unwrap();
        assert_eq!(
            &last.id, &latest[&j.name],
            "latest = newest StartedOn (moto lists oldest first)"
        );
        assert_eq!(last.state, RunState::Succeeded);
        assert_eq!(
            last.arguments.get("--attempt").map(String::as_str),
            Some("2")
        );
        assert_eq!(last.worker_type.as_deref(), Some("G.1X"));
    }
    // Opened: GetJobRuns pages of 2 all followed, newest first.
    let runs = cloud.glue_job_runs(&format!("{p}0")).await.unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0].id, latest[&format!("{p}0")]);
}

#[tokio::test]
async fn rerun_starts_a_run_with_the_same_arguments() {
    let _l = LOCK.lock().await;
    let (cloud, raw) = setup(GluePaging::default()).await;
    let name = format!("{}job", prefix("rerun"));
    create_job(&raw, &name, 2).await;
    start(
        &raw,
        &name,
        &[
            ("--source_key", "uploads/orders/2024-01-15/orders.csv"),
            ("--env", "prod"),
        ],
    )
    .await;
    let runs = cloud.glue_job_runs(&name).await.unwrap();
    let old = runs[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let report = gate::execute(
        &cloud,
        &Journal::at(journal.clone()),
        common::approve(Action::RerunGlueJob {
            job: name.clone(),
            from_run: old.id.clone(),
            arguments: old.arguments.clone(),
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    let new_id = report.summary.rsplit(' ').next().unwrap().to_string();
    assert_ne!(new_id, old.id);
    let got = raw
        .get_job_run()
        .job_name(&name)
        .run_id(&new_id)
        .send()
        .await
        .unwrap();
    let args: BTreeMap<String, String> = got
        .job_run()
        .unwrap()
        .arguments()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(args, old.arguments);
    assert_eq!(std::fs::read_to_string(journal).unwrap().lines().count(), 2);
}

#[tokio::test]
async fn service_concurrent_runs_exceeded_gets_the_guard_message() {
    let _l = LOCK.lock().await;
    let _manual = ManualRuns::hold();
    let (cloud, raw) = setup(GluePaging::default()).await;
    let name = format!("{}one", prefix("concurrency"));
    create_job(&raw, &name, 1).await;
    let running = raw.start_job_run().job_name(&name).send().await.unwrap();
    // Through the gate straight to the service: Glue refuses.
    let report = gate::execute(
        &cloud,
        &Journal::disabled(),
        common::approve(Action::RerunGlueJob {
            job: name.clone(),
            from_run: running.job_run_id().unwrap().into(),
            arguments: BTreeMap::new(),
        }),
    )
    .await;
    assert!(!report.ok);
    assert_eq!(report.summary, gate::concurrency_message(&name));
    // And the pane's own guard sees the active run and refuses first.
    let jobs = cloud.glue_jobs().await.unwrap();
    let job = jobs.into_iter().find(|j| j.name == name).unwrap();
    assert!(
        job.latest_run().unwrap().state.is_active(),
        "{:?}",
        job.latest_run()
    );
    let mut s = common::state_with_jobs(vec![job], false);
    let fx = common::press(&mut s, &["R"]);
    assert!(
        matches!(fx.as_slice(), [pipedeck::app::Effect::Journal(_)]),
        "{fx:?}"
    );
    assert!(s
        .flash
        .unwrap()
        .text
        .contains(&gate::concurrency_message(&name)));
}

#[tokio::test]
async fn snapshot_json_from_the_real_binary() {
    let _l = LOCK.lock().await;
    let (_cloud, raw) = setup(GluePaging::default()).await;
    let name = format!("{}snap", prefix("snapshot"));
    create_job(&raw, &name, 1).await;
    let mut last = String::new();
    for _ in 0..3 {
        last = start(&raw, &name, &[]).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = common::moto::snapshot(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["region"], "us-east-1");
    assert_eq!(v["account"], "123456789012");
    assert_eq!(v["glue"]["error"], serde_json::Value::Null);
    assert!(v["generated_at"].as_str().unwrap().ends_with('Z'));
    let job = v["glue"]["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["name"] == name.as_str())
        .unwrap_or_else(|| panic!("{name} not in {v}"));
    let run = &job["last_run"];
    assert_eq!(run["id"], last.as_str());
    assert_eq!(run["state"], "SUCCEEDED");
    assert!(run["started_at"].as_str().unwrap().ends_with('Z'));
    assert!(run["execution_time_s"].as_i64().is_some());
    assert_eq!(run["error_message"], serde_json::Value::Null);
}

#[tokio::test]
async fn unreachable_endpoint_is_a_pane_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::pipedeck_bin(
        dir.path(),
        &[
            "snapshot",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        |_| {},
    );
    assert_eq!(out.status.code(), Some(1), "every pane failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["glue"]["error"].as_str().unwrap().contains("network"),
        "{v}"
    );
}

#[tokio::test]
async fn region_from_the_profile_is_the_one_shown() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(&config, "[profile night-shift]\nregion = eu-central-1\n").unwrap();
    let out = common::pipedeck_bin(
        dir.path(),
        &[
            "snapshot",
            "--profile",
            "night-shift",
            "--endpoint-url",
            &moto_url(),
        ],
        |c| {
            c.env_remove("AWS_REGION");
            c.env_remove("AWS_DEFAULT_REGION");
            c.env("AWS_CONFIG_FILE", &config);
        },
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profile"], "night-shift");
    assert_eq!(v["region"], "eu-central-1");
    assert_eq!(v["glue"]["error"], serde_json::Value::Null);
}
