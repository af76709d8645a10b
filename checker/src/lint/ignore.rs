//! Ignore comments: the checker's own and those of hadolint and BuildKit, so that a
//! Dockerfile already tuned for one of those tools keeps its meaning.
//!
//! - `# checker ignore=pinned_base,DL3008` (or `# hadolint ignore=DL3008`) on the
//!   comment lines right above an instruction silences those rules on it;
//! - `# checker global ignore=…` / `# hadolint global ignore=…` anywhere, for the file;
//! - the `# check=skip=JSONArgsRecommended,FromAsCasing` parser directive (or
//!   `skip=all`), BuildKit's own, for the file.
//!
//! A name may be a rule of this checker, a hadolint id or a BuildKit check name.

use std::collections::{BTreeMap, BTreeSet};

use super::parser::Dockerfile;
use super::{Finding, Rule};

#[derive(Debug, Default)]
pub struct Ignores {
    /// Names silenced for the whole file (lower case).
    global: BTreeSet<String>,
    /// Names silenced on the instruction starting at a line.
    at: BTreeMap<usize, BTreeSet<String>>,
}

fn names(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
}

/// `checker ignore=a,b` / `hadolint global ignore=a` → `(global, list)`.
fn pragma(comment: &str) -> Option<(bool, &str)> {
    let rest = comment
        .strip_prefix("checker")
        .or_else(|| comment.strip_prefix("hadolint"))?
        .trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    Some((global, list.trim()))
}

impl Ignores {
    pub fn read(dockerfile: &Dockerfile) -> Ignores {
        let mut out = Ignores::default();
        if let Some(check) = dockerfile.directive("check") {
            for part in check.split(';') {
                if let Some(list) = part.trim().strip_prefix("skip=") {
                    out.global.extend(names(list));
                }
            }
        }
        let comments: BTreeMap<usize, &str> = dockerfile
            .comments
            .iter()
            .map(|(line, text)| (*line, text.as_str()))
            .collect();
        for text in comments.values() {
            if let Some((true, list)) = pragma(text) {
                out.global.extend(names(list));
            }
        }
        for ins in &dockerfile.instructions {
            // The comment block right above the instruction.
            let mut line = ins.line;
            while line > 1 {
                line -= 1;
                let Some(text) = comments.get(&line) else {
                    break;
                };
                if let Some((false, list)) = pragma(text) {
                    out.at.entry(ins.line).or_default().extend(names(list));
                }
            }
        }
        out
    }

    /// Whether the finding of this rule is silenced by the file's comments.
    pub fn silences(&self, rule: &Rule, finding: &Finding) -> bool {
        let mut keys: Vec<String> = vec![rule.name.to_ascii_lowercase()];
        keys.extend(finding.hadolint.map(|(c, _)| c.to_ascii_lowercase()));
        keys.extend(finding.buildkit.map(|(n, _)| n.to_ascii_lowercase()));
        if self.global.contains("all") || keys.iter().any(|k| self.global.contains(k)) {
            return true;
        }
        finding
            .line
            .and_then(|line| self.at.get(&line))
            .is_some_and(|set| keys.iter().any(|k| set.contains(k)))
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint_text, rule};

    fn lines(text: &str, name: &str) -> Vec<Option<usize>> {
        let rules = [rule(name).expect("rule")];
        lint_text(text, None, &rules)
            .iter()
            .map(|f| f.line)
            .collect()
    }

    #[test]
    fn checker_and_hadolint_comments_silence_one_instruction() {
        let text = "FROM python\n# checker ignore=pinned_base\nFROM node\n# hadolint ignore=DL3007\nFROM nginx:latest\nFROM redis\n";
        assert_eq!(lines(text, "pinned_base"), vec![Some(1), Some(6)]);
        // A hadolint id silences only the finding it names.
        let text = "# hadolint ignore=DL3007\nFROM python\n";
        assert_eq!(lines(text, "pinned_base"), vec![Some(1 + 1)]);
    }

    #[test]
    fn global_ignores_and_buildkit_skips_cover_the_file() {
        let text = "FROM python\n# hadolint global ignore=DL3006\nFROM node\n";
        assert!(lines(text, "pinned_base").is_empty());
        let text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD echo hi\n";
        assert!(lines(text, "json_cmd").is_empty());
        let text = "# check=skip=all;error=true\nFROM alpine:3.20\nCMD echo hi\n";
        assert!(lines(text, "json_cmd").is_empty());
        let text = "# check=error=true\nFROM alpine:3.20\nCMD echo hi\n";
        assert_eq!(lines(text, "json_cmd"), vec![Some(3)]);
    }
}
