//! The README's sample config is a real config: every key in it parses (the
//! config refuses unknown keys), so the documentation cannot drift.

#[test]
fn the_readme_config_sample_parses() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```toml\n  theme =")
        .expect("the README has the config sample");
    let body = &readme[start + "```toml\n".len()..];
    let sample: String = body[..body.find("```").unwrap()]
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let config: pipedeck::config::Config =
        toml::from_str(&sample).unwrap_or_else(|e| panic!("README config sample: {e}\n{sample}"));
    assert_eq!(config.insights.glue.default_prefix, "/aws-glue/jobs");
    assert_eq!(config.insights.glue.suffixes.len(), 2);
    assert_eq!(
        config.insights.glue.continuous_group,
        "/aws-glue/jobs/logs-v2"
    );
    assert!(!config.display.system_clipboard);
    let audit = &config.audit.tables[0];
    assert_eq!(audit.fields.error_message, "error_msg");
    assert_eq!(audit.dq_scale, 100.0);
}

/// A reader meets `pipedeck …` commands only after being told how to get
/// `pipedeck` on PATH, and how long that first build takes.
#[test]
fn the_readme_installs_pipedeck_before_using_it_by_name() {
    let readme = include_str!("../../README.md");
    let install = readme
        .find("cargo install --path .")
        .expect("the README says how to install the binary");
    let first_use = readme
        .lines()
        .scan(0, |at, l| {
            let here = *at;
            *at += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| l.starts_with("pipedeck "))
        .map(|(at, _)| at)
        .expect("the README runs pipedeck by name");
    assert!(
        install < first_use,
        "install at {install}, first use at {first_use}"
    );
    let section = &readme[install..first_use];
    assert!(section.contains("PATH"), "{section}");
    assert!(
        section.contains("minutes on a") && section.contains("2-core"),
        "the first build's time: {section}"
    );
}
