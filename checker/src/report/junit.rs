//! JUnit XML for CI test reporters: one `<testsuite>` per exercise, one `<testcase>`
//! per check, then a last suite, « Total », whose properties carry the grade.
//!
//! The document is valid against both the lenient dialect GitLab, GitHub and Jenkins
//! read and the strict Apache Ant schema: suites have `id`, `package`, `timestamp`
//! (without a time zone, as Ant wants), `hostname`, `properties`, `system-out` and
//! `system-err`; the root has no attributes (Ant allows none), so the totals live in the
//! « Total » suite. A failure carries « attendu / trouvé / indice »; a check that cannot
//! be verified is an `<error>` (never a pass); an informational exercise is a
//! `<skipped>` test case. Every text goes through [`super::xml`], so a log full of
//! escape sequences or a NUL byte cannot make the file unreadable.

use super::xml::{body, text};
use super::{Run, decimal};
use crate::outcome::{ExerciseResult, Status};

pub fn render(run: &Run) -> String {
    let timestamp = run.graded_at.trim_end_matches('Z');
    let timestamp = if timestamp.is_empty() {
        "1970-01-01T00:00:00"
    } else {
        timestamp
    };
    let hostname = if run.hostname.trim().is_empty() {
        "localhost"
    } else {
        run.hostname.as_str()
    };
    let suite_head = |id: usize, name: &str, counts: [usize; 4], seconds: f64| {
        format!(
            "  <testsuite id=\"{id}\" package=\"checker\" name=\"{}\" timestamp=\"{}\" \
             hostname=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{seconds:.3}\">\n",
            text(name),
            text(timestamp),
            text(hostname),
            counts[0],
            counts[1],
            counts[2],
            counts[3],
        )
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    let identity = identity_properties(run);
    for (i, ex) in run.exercises.iter().enumerate() {
        let counts = [
            ex.checks.len().max(usize::from(ex.informational)),
            ex.count(Status::Fail),
            ex.count(Status::CannotCheck),
            usize::from(ex.informational) + ex.count(Status::NotChecked),
        ];
        out.push_str(&suite_head(
            i,
            &format!("Exercice {} : {}", ex.id, ex.title),
            counts,
            ex.duration.as_secs_f64(),
        ));
        out.push_str("    <properties>\n");
        let mut properties = vec![
            ("exercice", ex.id.clone()),
            ("points", ex.points.to_string()),
            ("score", decimal(ex.score)),
        ];
        if let Some(note) = run.notes.get(&ex.id) {
            properties.push(("remarque", note.clone()));
        }
        properties.extend(identity.iter().cloned());
        push_properties(&mut out, &properties);
        out.push_str("    </properties>\n");
        push_cases(&mut out, ex);
        let note = run
            .notes
            .get(&ex.id)
            .map(String::as_str)
            .unwrap_or_default();
        out.push_str(&format!(
            "    <system-out>{}</system-out>\n    <system-err></system-err>\n  </testsuite>\n",
            body(note)
        ));
    }
    // The grade, where every reporter shows it: a suite named after the total.
    let s = &run.summary;
    let total = s.total_line(decimal);
    let seconds: f64 = run.exercises.iter().map(|e| e.duration.as_secs_f64()).sum();
    out.push_str(&suite_head(run.exercises.len(), &total, [0; 4], seconds));
    out.push_str("    <properties>\n");
    let mut properties = vec![
        ("score", decimal(s.score)),
        ("max_score", s.max_score.to_string()),
        ("percent", decimal(s.percent)),
        ("success", s.success.to_string()),
        ("checks", s.checks.to_string()),
        ("passed", s.passed.to_string()),
        ("failed", s.failed.to_string()),
        ("cannot_check", s.cannot_check.to_string()),
    ];
    if let Some(min) = s.min_score {
        properties.push(("min_score", decimal(min)));
    }
    properties.extend(identity);
    push_properties(&mut out, &properties);
    out.push_str(&format!(
        "    </properties>\n    <system-out>{}</system-out>\n    <system-err></system-err>\n  </testsuite>\n</testsuites>\n",
        body(&total)
    ));
    out
}

/// Who, what and where: repeated in every suite, since reporters show suites apart.
fn identity_properties(run: &Run) -> Vec<(&'static str, String)> {
    let mut properties = vec![
        ("graded_at", run.graded_at.clone()),
        ("checker_version", run.checker_version.clone()),
        ("docker_endpoint", run.docker.endpoint.clone()),
        ("docker_version", run.docker.engine_version.clone()),
    ];
    if let Some(student) = &run.student {
        properties.push(("student", student.clone()));
    }
    if let Some(commit) = &run.commit {
        properties.push(("commit", commit.clone()));
    }
    properties
}

fn push_properties(out: &mut String, properties: &[(&str, String)]) {
    for (name, value) in properties {
        out.push_str(&format!(
            "      <property name=\"{name}\" value=\"{}\"/>\n",
            text(value)
        ));
    }
}

fn push_cases(out: &mut String, ex: &ExerciseResult) {
    let classname = format!("exercice.{}", ex.id);
    if ex.informational {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"informatif\" time=\"0.000\">\n      \
             <skipped message=\"Exercice informatif : rien à vérifier.\"/>\n    </testcase>\n",
            text(&classname)
        ));
    }
    for c in &ex.checks {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            text(&classname),
            text(&format!("{} : {}", c.id, c.title)),
            c.duration.as_secs_f64()
        ));
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        match c.status {
            Status::Pass => out.push_str("/>\n"),
            Status::Fail => {
                let mut detail = format!(
                    "attendu : {}\ntrouvé  : {}",
                    field(&c.expected),
                    field(&c.found)
                );
                if let Some(hint) = &c.hint {
                    detail.push_str(&format!("\nindice  : {hint}"));
                }
                out.push_str(&format!(
                    ">\n      <failure type=\"échec\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    text(&format!(
                        "attendu : {} — trouvé : {}",
                        field(&c.expected),
                        field(&c.found)
                    )),
                    body(&detail)
                ));
            }
            Status::CannotCheck => out.push_str(&format!(
                ">\n      <error type=\"non vérifiable\" message=\"{}\">non vérifiable : {}</error>\n    </testcase>\n",
                text(&field(&c.reason)),
                body(&field(&c.reason))
            )),
            // Not run because a check it requires failed: skipped, the cause named.
            Status::NotChecked => out.push_str(&format!(
                ">\n      <skipped message=\"non vérifié : {}\"/>\n    </testcase>\n",
                text(&field(&c.reason))
            )),
        }
    }
}
