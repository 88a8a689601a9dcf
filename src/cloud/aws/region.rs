//! Which Region pipedeck uses, and why: decided once, before anything is
//! drawn, so the header, `pipedeck info` and every call agree.

use aws_config::meta::region::ProvideRegion;
use std::fmt;

/// Where the region every call uses came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionSource {
    /// `--region`.
    Flag,
    /// `region` in pipedeck's config file.
    Config,
    /// `AWS_REGION` or `AWS_DEFAULT_REGION`.
    Env(&'static str),
    /// `region` of the named profile (or its source_profile).
    Profile(String),
    /// Nothing set anywhere: [`DEFAULT_REGION`].
    Default { profile: String },
}

/// The region used when neither flags, config, environment nor profile
/// name one (as the AWS console does).
pub const DEFAULT_REGION: &str = "us-east-1";

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag => write!(f, "from --region"),
            Self::Config => write!(f, "from the config file"),
            Self::Env(var) => write!(f, "from {var}"),
            Self::Profile(p) => write!(f, "from profile '{p}'"),
            Self::Default { profile } => write!(
                f,
                "default: no --region, AWS_REGION, AWS_DEFAULT_REGION or region in profile '{profile}'"
            ),
        }
    }
}

/// The region, decided once before anything is drawn, so that the header,
/// `pipedeck info` and every call agree: `explicit` (flag or config), then
/// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` (read from the
/// AWS config files, no network), else [`DEFAULT_REGION`].
pub async fn resolve_region(
    explicit: Option<(String, RegionSource)>,
    profile: Option<&str>,
) -> (String, RegionSource) {
    if let Some(r) = explicit.filter(|(r, _)| !r.is_empty()) {
        return r;
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(r) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
            return (r, RegionSource::Env(var));
        }
    }
    let name = profile_name(profile);
    let mut provider = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(p) = profile {
        provider = provider.profile_name(p);
    }
    match provider.build().region().await {
        Some(r) => (r.to_string(), RegionSource::Profile(name)),
        None => (
            DEFAULT_REGION.to_string(),
            RegionSource::Default { profile: name },
        ),
    }
}

/// The profile in use: the flag (or config), then AWS_PROFILE, then "default".
pub(super) fn profile_name(profile: Option<&str>) -> String {
    profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "default".into())
}

/// Whether the named profile says where its credentials come from (keys,
/// a role, SSO, a process, a web identity): then it wins over exported
/// keys. Read from the AWS config and credentials files as the SDK finds
/// them; a profile that only sets a region does not.
pub fn profile_names_credentials(profile: &str) -> bool {
    const SOURCES: &[&str] = &[
        "aws_access_key_id",
        "role_arn",
        "sso_session",
        "sso_start_url",
        "credential_process",
        "web_identity_token_file",
        "credential_source",
    ];
    let home = std::env::var("HOME").unwrap_or_default();
    let file = |var: &str, default: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("{home}/.aws/{default}"))
    };
    let config = std::fs::read_to_string(file("AWS_CONFIG_FILE", "config")).unwrap_or_default();
    let creds = std::fs::read_to_string(file("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
        .unwrap_or_default();
    // In the config file a profile is `[profile NAME]` (`[default]` for the
    // default one); in the credentials file it is `[NAME]`.
    let config_header = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    section_has(&config, &config_header, SOURCES) || section_has(&creds, profile, SOURCES)
}

/// Whether the INI `[section]` of `text` sets any of `keys`.
fn section_has(text: &str, section: &str, keys: &[&str]) -> bool {
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.split_whitespace().collect::<Vec<_>>().join(" ") == section;
        } else if inside {
            let key = line.split('=').next().unwrap_or("").trim();
            if keys.contains(&key) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::section_has;

    #[test]
    fn a_section_names_its_credentials_or_not() {
        let text = "[profile night]\nregion = eu-central-1\n\n[profile prod]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n";
        assert!(!section_has(text, "profile night", &["role_arn"]));
        assert!(section_has(text, "profile prod", &["role_arn"]));
        assert!(!section_has(text, "profile other", &["role_arn"]));
    }
}
