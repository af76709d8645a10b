//! An exercise's shell script (its solution or its clean-up) cut into the commands a
//! student would type, so `checker solve` and `checker reset` can show each one
//! before it runs.
//!
//! A command is one line, with the lines a trailing `\` continues and the body of a
//! here-document (`cat > Dockerfile <<'FIN'` … `FIN`). Comments stay, as the notes they
//! are. The commands then run in one shell, one after the other, so a `cd` carries to
//! the next command as it does for the student.

use std::sync::OnceLock;

use regex::Regex;

/// The commands of a script, in order; blank lines dropped.
pub fn commands(script: &str) -> Vec<String> {
    static HEREDOC: OnceLock<Regex> = OnceLock::new();
    let heredoc = HEREDOC.get_or_init(|| {
        Regex::new(r#"<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?"#).expect("static regex")
    });
    let mut out = Vec::new();
    let mut lines = script.lines();
    while let Some(first) = lines.next() {
        if first.trim().is_empty() {
            continue;
        }
        let mut command = first.to_string();
        let mut last = first.to_string();
        while last.trim_end().ends_with('\\') {
            let Some(next) = lines.next() else { break };
            command.push('\n');
            command.push_str(next);
            last = next.to_string();
        }
        if !command.trim_start().starts_with('#')
            && let Some(delimiter) = heredoc.captures(&command).map(|c| c[1].to_string())
        {
            for body in lines.by_ref() {
                command.push('\n');
                command.push_str(body);
                if body.trim() == delimiter {
                    break;
                }
            }
        }
        out.push(command);
    }
    out
}

/// Whether a command is only a comment (shown, nothing to run).
pub fn is_comment(command: &str) -> bool {
    command.trim_start().starts_with('#')
}

/// One `sh` script that prints each command (with `$ `, as the course writes them)
/// right before running it, and stops at the first that fails.
pub fn shown_script(commands: &[String], bold: bool) -> String {
    let mut script = String::from("set -e\n");
    for command in commands {
        let shown = format!("$ {command}");
        let shown = if bold {
            format!("\x1b[1m{shown}\x1b[0m")
        } else {
            shown
        };
        script.push_str(&format!("printf '%s\\n' {}\n", single_quoted(&shown)));
        script.push_str(command);
        script.push('\n');
    }
    script
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredocs_and_continuations_stay_whole() {
        let script = "checker init 3.1\ncd mon-app\ncat > Dockerfile <<'FIN'\nFROM alpine\nCMD [\"sh\"]\nFIN\n\ndocker run -d \\\n  --name web nginx\n# une note\n";
        assert_eq!(
            commands(script),
            vec![
                "checker init 3.1",
                "cd mon-app",
                "cat > Dockerfile <<'FIN'\nFROM alpine\nCMD [\"sh\"]\nFIN",
                "docker run -d \\\n  --name web nginx",
                "# une note",
            ]
        );
        assert!(is_comment("  # une note"));
    }

    #[test]
    fn the_script_shows_each_command_then_runs_it() {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(shown_script(
                &commands("cd /\necho \"l'ici : $(pwd)\"\nfalse\necho jamais"),
                false,
            ))
            .output()
            .expect("sh");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            text, "$ cd /\n$ echo \"l'ici : $(pwd)\"\nl'ici : /\n$ false\n",
            "{text}"
        );
        assert!(!out.status.success());
    }
}
