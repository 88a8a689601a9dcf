//! One read per resource: the only place a `Resource` becomes a Cloud call.

use crate::app::{Data, Resource};
use crate::cloud::{Cloud, CloudError};

pub async fn fetch(cloud: &dyn Cloud, resource: &Resource) -> Result<Data, CloudError> {
    match resource {
        Resource::Identity => cloud.identity().await.map(Data::Identity),
        Resource::GlueJobs => cloud.glue_jobs().await.map(Data::GlueJobs),
        Resource::GlueRuns { job } => cloud.glue_job_runs(job).await.map(Data::GlueRuns),
        Resource::EmrClusters => cloud.emr_clusters().await.map(Data::EmrClusters),
        Resource::EmrSteps { cluster_id } => cloud.emr_steps(cluster_id).await.map(Data::EmrSteps),
    }
}
