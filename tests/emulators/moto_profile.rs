//! A profile named with --profile wins over keys exported in the
//! environment, as the AWS CLI's does: a role profile (role_arn +
//! source_profile) reads the role's account, not the environment's — here
//! against moto's STS (AssumeRole, GetCallerIdentity).

use crate::common;

use common::moto::moto_url;
use common::*;

#[test]
fn a_named_role_profile_beats_exported_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(
        &config,
        "[profile base]\naws_access_key_id = basekey\naws_secret_access_key = basesecret\n\
         region = us-east-1\n\n[profile data-lake-prod]\n\
         role_arn = arn:aws:iam::999999999999:role/oncall\nsource_profile = base\nregion = us-east-1\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        pipedeck_bin(dir.path(), args, |c| {
            // pipedeck_bin exports AWS_ACCESS_KEY_ID=test: the environment
            // identity (moto's default account 123456789012).
            c.env("AWS_CONFIG_FILE", &config)
                .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
                .env("AWS_ENDPOINT_URL", moto_url())
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env_remove("AWS_PROFILE")
                .env_remove("AWS_REGION")
                .env_remove("AWS_DEFAULT_REGION");
        })
    };
    let out = run(&["info", "--profile", "data-lake-prod"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let identity = text.lines().find(|l| l.starts_with("identity")).unwrap();
    assert!(identity.contains("account 999999999999"), "{text}");
    assert!(identity.contains("assumed-role/oncall"), "{text}");
    assert!(
        text.contains("AWS_ACCESS_KEY_ID in the environment set aside"),
        "{text}"
    );
    // Without --profile the environment's keys are the identity.
    let out = run(&["info"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("account 123456789012"), "{text}");
    assert!(!text.contains("set aside"), "{text}");
}
