//! The real `aws` backend for EMR over HTTP against moto: clusters with
//! state filters and pagination, steps with pagination, `snapshot` JSON.
//! (moto has no CancelSteps and never fails a step: those are covered with
//! aws-smithy-mocks in aws_mocks_emr.rs.)

use crate::common;

use aws_sdk_emr::types::{
    ActionOnFailure, HadoopJarStepConfig, JobFlowInstancesConfig, StepConfig,
};
use common::moto::{prefix, sdk_config};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::{CloudRead, ClusterState, StepState};

async fn setup() -> (AwsCloud, aws_sdk_emr::Client) {
    let conf = sdk_config().await;
    (
        AwsCloud::from_clients(Clients::from_sdk_config(&conf)),
        aws_sdk_emr::Client::new(&conf),
    )
}

async fn cluster(raw: &aws_sdk_emr::Client, name: &str) -> String {
    raw.run_job_flow()
        .name(name)
        .release_label("emr-7.1.0")
        .instances(
            JobFlowInstancesConfig::builder()
                .master_instance_type("m5.xlarge")
                .instance_count(1)
                .keep_job_flow_alive_when_no_steps(true)
                .build(),
        )
        .job_flow_role("EMR_EC2_DefaultRole")
        .service_role("EMR_DefaultRole")
        .send()
        .await
        .unwrap()
        .job_flow_id()
        .unwrap()
        .to_string()
}

fn step(name: String) -> StepConfig {
    StepConfig::builder()
        .name(name)
        .action_on_failure(ActionOnFailure::Continue)
        .hadoop_jar_step(
            HadoopJarStepConfig::builder()
                .jar("command-runner.jar")
                .args("spark-submit")
                .args("s3://my-code-bucket/scripts/daily_sales_etl.py")
                .build(),
        )
        .build()
}

#[tokio::test]
async fn clusters_pages_state_filters_and_steps() {
    let (cloud, raw) = setup().await;
    let p = prefix("emr");
    // More than one ListClusters page (moto pages by 50).
    let mut ids = Vec::new();
    for i in 0..52 {
        ids.push(cluster(&raw, &format!("{p}{i}")).await);
    }
    // One cluster ended: it must come back through the ended-states query.
    raw.terminate_job_flows()
        .job_flow_ids(&ids[0])
        .send()
        .await
        .unwrap();
    // More than one ListSteps page on another.
    let steps: Vec<StepConfig> = (0..53).map(|i| step(format!("{p}step-{i}"))).collect();
    raw.add_job_flow_steps()
        .job_flow_id(&ids[1])
        .set_steps(Some(steps))
        .send()
        .await
        .unwrap();

    let clusters = cloud.emr_clusters().await.unwrap();
    let mine: Vec<_> = clusters.iter().filter(|c| c.name.starts_with(&p)).collect();
    assert_eq!(mine.len(), 52, "both ListClusters queries, every page");
    let ended = mine.iter().find(|c| c.id == ids[0]).unwrap();
    assert_eq!(ended.state, ClusterState::Terminated);
    assert!(ended.ended.is_some());
    let idle = mine.iter().find(|c| c.id == ids[2]).unwrap();
    assert_eq!(idle.state, ClusterState::Waiting);
    let busy = mine.iter().find(|c| c.id == ids[1]).unwrap();
    assert!(busy.state.is_active(), "{:?}", busy.state);
    assert_eq!(busy.steps.len(), 53, "every ListSteps page");
    // moto starts the first step and leaves the rest queued.
    assert!(busy
        .steps
        .iter()
        .all(|s| matches!(s.state, StepState::Pending | StepState::Running)));
    assert!(
        busy.steps
            .iter()
            .filter(|s| s.state == StepState::Running)
            .count()
            <= 1
    );
    assert_eq!(
        busy.steps[0].args,
        [
            "spark-submit",
            "s3://my-code-bucket/scripts/daily_sales_etl.py"
        ]
    );
    assert_eq!(busy.steps[0].action_on_failure.as_deref(), Some("CONTINUE"));
    let direct = cloud.emr_steps(&ids[1]).await.unwrap();
    assert_eq!(direct.len(), 53);
}

#[tokio::test]
async fn snapshot_json_has_the_emr_section() {
    let (_cloud, raw) = setup().await;
    let name = format!("{}snap", prefix("emr-snapshot"));
    let id = cluster(&raw, &name).await;
    raw.add_job_flow_steps()
        .job_flow_id(&id)
        .steps(step("Daily Sales ETL".into()))
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = common::moto::snapshot(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["emr"]["error"], serde_json::Value::Null);
    let c = v["emr"]["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} missing from {}", v["emr"]));
    assert_eq!(c["name"], name.as_str());
    // moto moves a cluster with steps to RUNNING.
    assert_eq!(c["state"], "RUNNING");
    assert!(
        c.get("state_reason").is_some(),
        "state_reason is always present (null or text)"
    );
    let steps = c["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0]["name"], "Daily Sales ETL");
    let state = steps[0]["state"].as_str().unwrap();
    assert!(["PENDING", "RUNNING"].contains(&state), "{state}");
    assert_eq!(steps[0]["failure"], serde_json::Value::Null);
    assert!(steps[0]["id"].as_str().unwrap().starts_with("s-"));
}
