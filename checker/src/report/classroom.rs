//! GitHub Classroom's runner result (version 1), read by
//! `classroom-resources/autograding-grading-reporter`: base64-encode it into the
//! `<RUNNER>_RESULTS` variable of the reporter step. One test per exercise, with the
//! points the checker computed, so Classroom shows the same grade as every other report.

use serde::Serialize;

use super::Run;
use super::class::never_graded;
use crate::outcome::Status;

#[derive(Serialize)]
struct Results<'a> {
    version: u32,
    status: &'static str,
    max_score: u32,
    tests: Vec<Test<'a>>,
}

#[derive(Serialize)]
struct Test<'a> {
    name: String,
    status: &'static str,
    score: f64,
    max_score: u32,
    message: String,
    test_code: &'a str,
    filename: &'a str,
    line_no: u32,
    execution_time: String,
}

pub fn render(run: &Run) -> String {
    let tests: Vec<Test> = run
        .exercises
        .iter()
        .map(|e| {
            let status = if e.all_passed() {
                "pass"
            } else if never_graded(e) || e.count(Status::Fail) == 0 {
                "error"
            } else {
                "fail"
            };
            let failing: Vec<String> = e
                .checks
                .iter()
                .filter(|c| c.status != Status::Pass)
                .map(|c| c.title.clone())
                .collect();
            let mut message = if failing.is_empty() {
                String::new()
            } else {
                format!("À corriger : {}", failing.join(" ; "))
            };
            if let Some(note) = run.notes.get(&e.id) {
                message = format!("{note}. {message}").trim().to_string();
            }
            Test {
                name: format!("{} {}", e.id, e.title),
                status,
                score: e.score,
                max_score: e.points,
                message,
                test_code: "",
                filename: "",
                line_no: 0,
                execution_time: format!("{:.2}s", e.duration.as_secs_f64()),
            }
        })
        .collect();
    let doc = Results {
        version: 1,
        status: if run.summary.success { "pass" } else { "fail" },
        max_score: run.summary.max_score,
        tests,
    };
    format!("{}\n", serde_json::to_string(&doc).unwrap_or_default())
}
