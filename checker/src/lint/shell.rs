//! Shell words and variables, as far as the rules need them.
//!
//! Dockerfile instructions are split into words the way BuildKit's shell lexer does
//! (quotes, backslashes), and `$VAR` / `${VAR:-default}` are expanded from the `ARG`s
//! and `ENV`s in scope, so that `ARG IMG=python:${V}` then `FROM ${IMG}` is judged on
//! what it builds from.

use std::collections::BTreeMap;

/// Values of the variables in scope; `None` for a variable declared without a value
/// (given at build time with `--build-arg`).
pub type Vars = BTreeMap<String, Option<String>>;

/// Splits a shell-form argument string into words, honouring single and double quotes
/// and backslashes, without expanding anything.
pub fn shell_words(text: &str) -> Vec<String> {
    split(text, false)
}

/// Splits into words as [`shell_words`] does, but keeps the quotes and backslashes in
/// the words (BuildKit's raw lexing, which it uses to find heredocs).
pub fn raw_words(text: &str) -> Vec<String> {
    split(text, true)
}

fn split(text: &str, raw: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                if raw {
                    current.push(c);
                }
            }
            Some('"') if c == '\\' => {
                if raw {
                    current.push(c);
                }
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            Some(_) => current.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
                if raw {
                    current.push(c);
                }
            }
            None if c == '\\' => {
                if raw {
                    current.push(c);
                }
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            None => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(current);
    }
    out
}

/// The variables a text refers to (`$A`, `${B}`, `${C:-x}`), in order, without those
/// escaped with a backslash.
pub fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut quote_single = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' => {
                quote_single = !quote_single;
                i += 1;
            }
            b'$' if !quote_single => {
                let after = &text[i + 1..];
                if let Some(inner) = after.strip_prefix('{') {
                    let name_len = inner
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(inner.len());
                    if name_len > 0 {
                        out.push(inner[..name_len].to_string());
                    }
                    i += 2 + name_len;
                } else {
                    let len = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(after.len());
                    if len > 0 && !after.as_bytes()[0].is_ascii_digit() {
                        out.push(after[..len].to_string());
                    }
                    i += 1 + len;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Expands `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`
/// and `${NAME+alt}` with the given values; `None` when a variable has no value (the
/// result depends on `--build-arg`).
pub fn expand(text: &str, values: &Vars) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find(['$', '\\']) {
        out.push_str(&rest[..pos]);
        if rest[pos..].starts_with('\\') {
            // `\$X` is a literal dollar.
            match rest[pos + 1..].chars().next() {
                Some('$') => {
                    out.push('$');
                    rest = &rest[pos + 2..];
                }
                _ => {
                    out.push('\\');
                    rest = &rest[pos + 1..];
                }
            }
            continue;
        }
        let after = &rest[pos + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner)?;
            let expr = &inner[..end];
            let name_len = expr
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(expr.len());
            let (name, op) = expr.split_at(name_len);
            let value = values.get(name).cloned().flatten();
            let declared = values.contains_key(name);
            let piece = if let Some(default) = op.strip_prefix(":-") {
                match value {
                    Some(v) if !v.is_empty() => v,
                    _ => expand(default, values)?,
                }
            } else if let Some(default) = op.strip_prefix('-') {
                match value {
                    Some(v) => v,
                    None if declared => return None,
                    None => expand(default, values)?,
                }
            } else if let Some(alt) = op.strip_prefix(":+") {
                match value {
                    Some(v) if !v.is_empty() => expand(alt, values)?,
                    Some(_) => String::new(),
                    None if declared => return None,
                    None => String::new(),
                }
            } else if let Some(alt) = op.strip_prefix('+') {
                match value {
                    Some(_) => expand(alt, values)?,
                    None if declared => return None,
                    None => String::new(),
                }
            } else {
                value?
            };
            out.push_str(&piece);
            rest = &inner[end + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(&values.get(&after[..len]).cloned().flatten()?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The position of the `}` closing a `${`, nested `${…}` included.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The `name[=value]` pairs of an `ARG`, or the `key=value` (or legacy `key value`)
/// pairs of an `ENV`/`LABEL`: `(name, value)`, the value still unexpanded.
pub fn assignments(keyword: &str, args: &str) -> Vec<(String, Option<String>)> {
    let words = shell_words(args);
    if keyword != "ARG" && !words.first().is_some_and(|w| w.contains('=')) {
        // Legacy `ENV KEY value with spaces`: one pair.
        let mut parts = args.trim().splitn(2, char::is_whitespace);
        let key = parts.next().unwrap_or_default().to_string();
        let value = parts.next().map(|v| {
            let v = v.trim();
            shell_words(v).join(" ")
        });
        return if key.is_empty() {
            Vec::new()
        } else {
            vec![(key, value)]
        };
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

/// Whether `args` of an `ENV`/`LABEL` uses the legacy `key value` form.
pub fn is_legacy_pair(args: &str) -> bool {
    let words = shell_words(args);
    !words.is_empty() && !words[0].contains('=')
}

/// One simple command of a shell script: its words, without leading variable
/// assignments and `sudo`, and whether a `|` pipes it into the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    pub piped: bool,
}

impl Command {
    /// The program run (`apt-get`, `pip3`...), without its directory.
    pub fn program(&self) -> &str {
        self.words
            .first()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .unwrap_or_default()
    }

    /// Whether a word is present (an option such as `--no-cache`).
    pub fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }
}

/// Whether a script pipes one command into another (`a | b`, also inside `$(…)` or
/// backticks, even within double quotes), `||` not counted.
pub fn has_pipe(script: &str) -> bool {
    let mut single = false;
    let mut double = false;
    let mut substitution = 0usize;
    let mut backtick = false;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !single => {
                chars.next();
            }
            '\'' if !double || substitution > 0 => single = !single,
            '"' if !single => double = !double,
            '`' if !single => backtick = !backtick,
            '$' if !single && chars.peek() == Some(&'(') => {
                chars.next();
                substitution += 1;
            }
            ')' if !single && substitution > 0 => substitution -= 1,
            '|' if !single => {
                if chars.peek() == Some(&'|') {
                    chars.next();
                } else if !double || substitution > 0 || backtick {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The simple commands of a shell script, split on unquoted `&&`, `||`, `;`, `|`, `&`,
/// newlines and parentheses. Good enough for package managers and `cd`; it does not
/// look inside `sh -c '…'`.
pub fn commands(script: &str) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    let push = |text: &mut String, piped: bool, out: &mut Vec<Command>| {
        let mut words = shell_words(text);
        text.clear();
        let skip = words
            .iter()
            .take_while(|w| {
                (w.contains('=') && !w.starts_with('-') && !w.starts_with('='))
                    || *w == "sudo"
                    || *w == "exec"
                    || *w == "command"
            })
            .count();
        words.drain(..skip);
        if !words.is_empty() {
            out.push(Command { words, piped });
        }
    };
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                current.push(c);
            }
            Some('"') if c == '\\' => {
                current.push(c);
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            Some(_) => current.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    current.push(c);
                }
                '\\' => {
                    if let Some(n) = chars.next().filter(|n| *n != '\n') {
                        current.push(c);
                        current.push(n);
                    }
                }
                '|' if chars.peek() == Some(&'|') => {
                    chars.next();
                    push(&mut current, false, &mut out);
                }
                '|' => push(&mut current, true, &mut out),
                '&' | ';' | '\n' | '(' | ')' => {
                    if c == '&' && chars.peek() == Some(&'&') {
                        chars.next();
                    }
                    push(&mut current, false, &mut out);
                }
                _ => current.push(c),
            },
        }
    }
    push(&mut current, false, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_honour_quotes() {
        assert_eq!(
            shell_words(r#"python "my app.py" 'x y' a\ b"#),
            vec!["python", "my app.py", "x y", "a b"]
        );
        assert_eq!(
            raw_words(r#"echo 'a<<b' "c d" e\ f"#),
            vec!["echo", "'a<<b'", "\"c d\"", "e\\ f"]
        );
    }

    #[test]
    fn expansion_needs_a_value() {
        let mut values = Vars::new();
        values.insert("TAG".to_string(), Some("3.12".to_string()));
        values.insert("EMPTY".to_string(), None);
        assert_eq!(
            expand("python:${TAG}-slim", &values).as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(
            expand("python:$TAG", &values).as_deref(),
            Some("python:3.12")
        );
        assert_eq!(
            expand("python:${EMPTY:-3.11}", &values).as_deref(),
            Some("python:3.11")
        );
        assert_eq!(
            expand("python:${NOPE:-${TAG}}", &values).as_deref(),
            Some("python:3.12")
        );
        assert_eq!(expand("a${TAG:+-x}", &values).as_deref(), Some("a-x"));
        assert_eq!(expand(r"\$TAG", &values).as_deref(), Some("$TAG"));
        assert_eq!(expand("python:${EMPTY}", &values), None);
        assert_eq!(expand("python:${NOPE}", &values), None);
    }

    #[test]
    fn commands_are_split_on_operators() {
        let cmds = commands(
            "apt-get update && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y 'a&&b' ; curl x | sh || true",
        );
        let programs: Vec<&str> = cmds.iter().map(Command::program).collect();
        assert_eq!(programs, vec!["apt-get", "apt-get", "curl", "sh", "true"]);
        assert!(cmds[2].piped);
        assert!(!cmds[3].piped);
        assert!(cmds[1].has("a&&b"));
    }

    #[test]
    fn pipes_are_found_in_substitutions() {
        assert!(has_pipe("curl x | sh"));
        assert!(has_pipe(
            "arch=\"$(dpkg --print-architecture | awk '{print $1}')\""
        ));
        assert!(!has_pipe("echo 'a | b' \"c | d\" && false || true"));
    }

    #[test]
    fn references_skip_escapes_and_single_quotes() {
        assert_eq!(
            references(r"$A ${B:-x} \$C '$D' ${E} $1"),
            vec!["A", "B", "E"]
        );
    }

    #[test]
    fn assignments_in_both_forms() {
        assert_eq!(
            assignments("ENV", "A=1 B=\"deux mots\""),
            vec![
                ("A".to_string(), Some("1".to_string())),
                ("B".to_string(), Some("deux mots".to_string()))
            ]
        );
        assert_eq!(
            assignments("ENV", "PATH /usr/local/bin:$PATH"),
            vec![("PATH".to_string(), Some("/usr/local/bin:$PATH".to_string()))]
        );
        assert_eq!(assignments("ARG", "V"), vec![("V".to_string(), None)]);
        assert!(is_legacy_pair("KEY value"));
        assert!(!is_legacy_pair("KEY=value"));
    }
}
