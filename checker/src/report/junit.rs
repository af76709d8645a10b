//! JUnit XML for CI test reporters: one `<testsuite>` per exercise, one `<testcase>`
//! per check. A failure carries « attendu / trouvé / indice »; a check that cannot be
//! verified is an `<error>` (never a pass), an informational exercise a `<skipped>`.

use super::{Run, render_template};

const TEMPLATE: &str = include_str!("../../../templates/report-junit.xml");

pub fn render(run: &Run) -> String {
    render_template("report-junit.xml", TEMPLATE, run)
}
