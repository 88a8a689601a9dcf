//! The one moto server of the test run (started by scripts/test.sh).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

pub fn moto_url() -> String {
    std::env::var("PIPEDECK_MOTO_URL").expect(
        "PIPEDECK_MOTO_URL is not set: run the suite with ./scripts/test.sh, which installs and starts moto",
    )
}

pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto_url())
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

/// Resource names unique to this test and process.
pub fn prefix(test: &str) -> String {
    format!("pd-{test}-{}-", std::process::id())
}
