//! The README's sample config is a real config: every key in it parses (the
//! config refuses unknown keys), so the documentation cannot drift.

#[test]
fn the_readme_config_sample_parses() {
    let readme = include_str!("../README.md");
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
    assert_eq!(config.insights.glue.suffixes.len(), 3);
    assert!(!config.display.system_clipboard);
}
