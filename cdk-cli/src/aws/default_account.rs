//! The default account handed to the app as `CDK_DEFAULT_ACCOUNT`, found as the cdk CLI finds
//! it: the account of the current credentials (STS GetCallerIdentity), and nothing — never an
//! error — when there are no credentials.
//!
//! To stay fast and quiet on a machine without credentials, AWS is asked only when credentials
//! are configured somewhere rcdk can see without a network call: access keys, a web identity
//! token or a container credentials endpoint in the environment, the profile in the AWS config or
//! credentials file, or an EC2 instance (the instance metadata service is never probed
//! elsewhere, as the cdk CLI does).

use std::path::PathBuf;

use crate::app_exec::Session;

/// Whether credentials are configured for `profile` (else `AWS_PROFILE`, else `default`).
pub fn credentials_configured(session: &Session, profile: Option<&str>) -> bool {
    let var = |name: &str| {
        session
            .vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    if var("AWS_ACCESS_KEY_ID").is_some()
        || var("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
        || var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
        || var("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    {
        return true;
    }
    let profile = profile.or_else(|| var("AWS_PROFILE")).unwrap_or("default");
    let home = var("HOME").map(PathBuf::from);
    let file = |env: &str, name: &str| {
        var(env)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    };
    let sections = |path: Option<PathBuf>| -> Vec<String> {
        path.and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| {
                text.lines()
                    .filter_map(|l| {
                        l.trim()
                            .strip_prefix('[')
                            .and_then(|l| l.strip_suffix(']'))
                            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let in_credentials = sections(file("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
        .iter()
        .any(|s| s == profile);
    let in_config = sections(file("AWS_CONFIG_FILE", "config"))
        .iter()
        .any(|s| *s == format!("profile {profile}") || (profile == "default" && s == "default"));
    if in_credentials || in_config {
        return true;
    }
    let imds_disabled = var("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v == "true");
    !imds_disabled && is_ec2_instance()
}

/// Whether this machine is an EC2 instance (the DMI product UUID or hypervisor UUID starts with
/// `ec2`), read from files only.
pub fn is_ec2_instance() -> bool {
    [
        "/sys/hypervisor/uuid",
        "/sys/devices/virtual/dmi/id/product_uuid",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .any(|uuid| uuid.trim().to_ascii_lowercase().starts_with("ec2"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_the_environment_count_as_credentials() {
        let mut s = Session::in_dir("/");
        s.vars
            .insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
        s.vars
            .insert("AWS_CONFIG_FILE".into(), "/nonexistent/config".into());
        s.vars.insert(
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            "/nonexistent/credentials".into(),
        );
        assert!(!credentials_configured(&s, None));
        s.vars.insert("AWS_ACCESS_KEY_ID".into(), "AKIA".into());
        assert!(credentials_configured(&s, None));
    }

    #[test]
    fn a_profile_section_counts_as_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[profile dev]\nregion = eu-west-1\n").unwrap();
        let mut s = Session::in_dir("/");
        s.vars
            .insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
        s.vars
            .insert("AWS_CONFIG_FILE".into(), config.display().to_string());
        s.vars.insert(
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            "/nonexistent/credentials".into(),
        );
        assert!(credentials_configured(&s, Some("dev")));
        assert!(!credentials_configured(&s, Some("prod")));
    }
}
