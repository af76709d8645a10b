//! SARIF 2.1.0, the format code-scanning tools read (GitHub, GitLab, VS Code's SARIF
//! viewer): one run, the rule table as the tool's rules, one result per finding.

use serde_json::{Value, json};

use super::RULES;
use super::output::FileReport;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The reports as a SARIF 2.1.0 log.
pub fn render(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let mut tags: Vec<String> = rule
                .hadolint
                .iter()
                .map(|c| format!("hadolint:{c}"))
                .collect();
            tags.extend(rule.buildkit.iter().map(|n| format!("buildkit:{n}")));
            json!({
                "id": rule.name,
                "name": rule.name,
                "shortDescription": { "text": rule.expects },
                "fullDescription": {
                    "text": if rule.stricter.is_empty() {
                        rule.expects.to_string()
                    } else {
                        format!("{} ; plus exigeant que hadolint ou BuildKit : {}", rule.expects, rule.stricter)
                    }
                },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "tags": tags, "category": rule.family.title() },
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.findings.iter().map(move |f| {
                let mut location = json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&report.path) },
                    }
                });
                if let Some(line) = f.line {
                    location["physicalLocation"]["region"] = json!({ "startLine": line });
                }
                json!({
                    "ruleId": f.rule,
                    "ruleIndex": RULES.iter().position(|r| r.name == f.rule),
                    "level": "warning",
                    "message": { "text": f.explained() },
                    "locations": [location],
                })
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "checker",
                    "version": env!("CARGO_PKG_VERSION"),
                    "language": "fr",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&log).unwrap_or_default()
    )
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .trim_start_matches("./")
        .replace('%', "%25")
        .replace(' ', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{all_rules, lint_text};

    #[test]
    fn sarif_has_the_required_shape() {
        let report = FileReport {
            path: "mon app/Dockerfile".to_string(),
            findings: lint_text("FROM python\nCMD python app.py\n", None, &all_rules()),
        };
        let log: Value = serde_json::from_str(&render(&[report])).expect("json");
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "checker");
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), RULES.len());
        let results = run["results"].as_array().expect("results");
        let first = &results[0];
        assert_eq!(first["ruleId"], "pinned_base");
        let index = first["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[index]["id"], "pinned_base");
        let location = &first["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "mon%20app/Dockerfile");
        assert_eq!(location["region"]["startLine"], 1);
        // A finding without a line has a location without a region.
        assert!(
            results
                .iter()
                .any(|r| r["locations"][0]["physicalLocation"]["region"].is_null())
        );
        assert!(results.iter().all(|r| r["message"]["text"].is_string()));
    }
}
