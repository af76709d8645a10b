//! JSON for programs: the [`Run`](super::Run) document, versioned by `schema_version`.

use super::Run;

pub fn render(run: &Run) -> String {
    serde_json::to_string_pretty(run).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
