//! `.dockerignore` patterns: which of the exclusions an exercise expects a file makes.

use std::collections::BTreeSet;

/// A `.dockerignore` pattern reduced to what it excludes, so that the ways of writing
/// the same exclusion compare equal: `node_modules`, `node_modules/`, `/node_modules`,
/// `./node_modules`, `**/node_modules` and `node_modules/**` all become `node_modules`.
pub fn normalize_ignore(pattern: &str) -> String {
    let mut p = pattern.trim();
    loop {
        let before = p;
        p = p.trim_start_matches("./").trim_start_matches('/');
        if let Some(rest) = p.strip_prefix("**/") {
            p = rest;
        }
        if let Some(rest) = p.strip_suffix("/**") {
            p = rest;
        }
        p = p.trim_end_matches('/');
        if p == before {
            break;
        }
    }
    p.to_string()
}

/// The expected patterns a `.dockerignore` does not exclude. Lines are read as Docker
/// does: trimmed, `#` comments skipped, and a later `!pattern` re-includes what an
/// earlier line excluded.
pub fn missing_ignores(text: &str, expected: &[String]) -> Vec<String> {
    let mut excluded: BTreeSet<String> = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix('!') {
            Some(negated) => {
                excluded.remove(&normalize_ignore(negated));
            }
            None => {
                excluded.insert(normalize_ignore(line));
            }
        }
    }
    expected
        .iter()
        .filter(|e| !excluded.contains(&normalize_ignore(e)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_patterns_are_normalised() {
        let text = "# comment\n  node_modules/  \n**/.env\n/dist\n*.log\n!important.log\n.git/**\n";
        let expected: Vec<String> = ["node_modules", ".env", "dist", ".git", "*.log"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(missing_ignores(text, &expected).is_empty());
        assert_eq!(
            missing_ignores(
                "node_modules\n!node_modules\n",
                &["node_modules/".to_string()]
            ),
            vec!["node_modules/".to_string()]
        );
        assert_eq!(
            missing_ignores("# node_modules\n", &["node_modules".to_string()]),
            vec!["node_modules".to_string()]
        );
    }
}
