//! A Markdown summary, sized for `$GITHUB_STEP_SUMMARY` or a merge-request comment.

use super::{Run, render_template};

const TEMPLATE: &str = include_str!("../../../templates/report-summary.md");

pub fn render(run: &Run) -> String {
    render_template("report-summary.md", TEMPLATE, run)
}
