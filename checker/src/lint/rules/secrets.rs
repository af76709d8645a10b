//! Secrets: none in `ARG`/`ENV` (they stay in the image's history), no key or `.env`
//! copied in, nothing copied that `.dockerignore` excludes.

use std::sync::LazyLock;

use regex::Regex;

use super::{glob, sources};
use crate::lint::shell::assignments;
use crate::lint::{Finding, Input};

/// BuildKit's heuristic: a name whose first or last `_`-separated word is a secret
/// word, unless one of its words is `public`.
static SECRET_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)").ok()
});
static PUBLIC_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?:_|^)public(?:_|$)").ok());

fn is_secret_name(name: &str) -> bool {
    SECRET_NAME.as_ref().is_some_and(|r| r.is_match(name))
        && !PUBLIC_NAME.as_ref().is_some_and(|r| r.is_match(name))
}

pub fn secrets_in_arg_env(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["ARG", "ENV"]) {
        for (name, _) in assignments(&ins.keyword, &ins.args) {
            if !is_secret_name(&name) {
                continue;
            }
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "`{} {name}` met un secret dans l'image (visible avec `docker history` et \
                         `docker inspect`) ; passez-le au seul `RUN` qui en a besoin : \
                         `RUN --mount=type=secret,id={id} …` et `docker build --secret id={id},env={name}`",
                        ins.keyword,
                        id = name.to_ascii_lowercase()
                    ),
                )
                .buildkit("SecretsUsedInArgOrEnv"),
            );
        }
    }
    out
}

/// Files that hold secrets, by name.
fn is_secret_file(source: &str) -> bool {
    let name = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(source);
    let lower = name.to_ascii_lowercase();
    if lower == ".env" {
        return true;
    }
    if let Some(suffix) = lower.strip_prefix(".env.") {
        return !matches!(
            suffix,
            "example" | "sample" | "template" | "dist" | "defaults"
        );
    }
    [
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".git-credentials",
        "credentials.json",
        ".ssh",
        ".aws",
        ".htpasswd",
    ]
    .contains(&lower.as_str())
        || [".pem", ".key", ".p12", ".pfx"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

pub fn secret_files(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.context_copies() {
        if let Some(file) = sources(ins).into_iter().find(|s| is_secret_file(s)) {
            out.push(Finding::at(
                ins.line,
                format!(
                    "`{}` copie `{file}`, un fichier secret, dans l'image : quiconque a l'image peut le lire ; \
                     ajoutez-le à `.dockerignore` et, si la construction en a besoin, montez-le le temps \
                     d'un `RUN` : `RUN --mount=type=secret,id=secret,target=/run/secrets/secret …`",
                    ins.display()
                ),
            ));
        }
    }
    out
}

/// A `.dockerignore`: patterns in order, `true` for an exception (`!keep.txt`).
fn ignore_patterns(text: &str) -> Vec<(bool, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_prefix('!') {
            Some(rest) => (true, clean(rest)),
            None => (false, clean(l)),
        })
        .filter(|(_, p)| !p.is_empty())
        .collect()
}

/// A path as Docker compares it: no leading `/` or `./`, no trailing `/`.
fn clean(path: &str) -> String {
    let mut p = path.trim();
    loop {
        let before = p;
        p = p.trim_start_matches('/');
        p = p.strip_prefix("./").unwrap_or(p);
        if p == before {
            break;
        }
    }
    p.trim_end_matches('/').to_string()
}

/// Path matching with `*`, `?` within a segment and `**` across segments.
fn path_matches(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            path_matches(&pattern[1..], path)
                || (!path.is_empty() && path_matches(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => glob(p, s) && path_matches(&pattern[1..], &path[1..]),
        _ => false,
    }
}

/// Whether `.dockerignore` excludes a path (or a folder above it): the last matching
/// pattern decides, as in Docker.
fn excluded(patterns: &[(bool, String)], path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let mut out = false;
    for (exception, pattern) in patterns {
        let pat: Vec<&str> = pattern.split('/').collect();
        let hit = (1..=parts.len()).any(|n| path_matches(&pat, &parts[..n]));
        if hit {
            out = !exception;
        }
    }
    out
}

pub fn copy_ignored_file(input: &Input) -> Vec<Finding> {
    let Some(text) = input.dockerignore else {
        return Vec::new();
    };
    let patterns = ignore_patterns(text);
    let mut out = Vec::new();
    for ins in input.dockerfile.context_copies() {
        for source in sources(ins) {
            let lower = source.to_ascii_lowercase();
            if source.starts_with("<<")
                || lower.starts_with("http://")
                || lower.starts_with("https://")
                || source.contains(['*', '?', '[', '$'])
            {
                continue;
            }
            let path = clean(&source);
            if path.is_empty() || path == "." || !excluded(&patterns, &path) {
                continue;
            }
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "`{}` copie `{source}`, que `.dockerignore` exclut du contexte : la construction \
                         échouera ou copiera autre chose ; retirez `{source}` de `.dockerignore` ou de ce `{}`",
                        ins.display(),
                        ins.keyword
                    ),
                )
                .buildkit("CopyIgnoredFile"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::lint::parser::Dockerfile;
    use crate::lint::{Input, rule, run};

    #[test]
    fn rule_secrets_in_arg_env() {
        passes(
            "secrets_in_arg_env",
            "FROM alpine:3.20\nARG PUBLIC_KEY=x\nENV KEYBOARD=fr TOKENIZER=x\nRUN --mount=type=secret,id=token cat /run/secrets/token\n",
        );
        assert_eq!(
            flagged(
                "secrets_in_arg_env",
                "FROM alpine:3.20\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x MODE=prod\nENV AWS_SECRET_ACCESS_KEY abc\n"
            ),
            vec![Some(2), Some(3), Some(4)]
        );
    }

    #[test]
    fn rule_secret_files() {
        passes(
            "secret_files",
            "FROM node:20\nCOPY .env.example ./\nCOPY --from=build /app/.env /app/\nCOPY src/ ./src/\n",
        );
        assert_eq!(
            flagged(
                "secret_files",
                "FROM node:20\nCOPY .env ./\nCOPY certs/server.key /etc/ssl/\nADD id_rsa /root/.ssh/\n"
            ),
            vec![Some(2), Some(3), Some(4)]
        );
    }

    #[test]
    fn dockerignore_matching() {
        let patterns =
            ignore_patterns("# c\nnode_modules\n/dist/\n**/*.log\n*.md\n!README.md\n.env*\n");
        assert!(excluded(&patterns, "node_modules"));
        assert!(excluded(&patterns, "node_modules/x/y.js"));
        assert!(excluded(&patterns, "dist/app.js"));
        assert!(excluded(&patterns, "a/b/c.log"));
        assert!(excluded(&patterns, "CHANGES.md"));
        assert!(!excluded(&patterns, "README.md"));
        assert!(!excluded(&patterns, "docs/x.md"));
        assert!(excluded(&patterns, ".env.local"));
        assert!(!excluded(&patterns, "src/main.js"));
    }

    #[test]
    fn rule_copy_ignored_file() {
        let text = "FROM node:20\nCOPY package.json ./\nCOPY dist/ /srv/\nCOPY --from=build /app/dist /x\nCOPY . .\n";
        let df = Dockerfile::parse(text);
        let lines = |ignore: Option<&str>| -> Vec<Option<usize>> {
            let input = Input {
                dockerfile: &df,
                dockerignore: ignore,
            };
            run(&input, &[rule("copy_ignored_file").expect("rule")], false)
                .iter()
                .map(|f| f.line)
                .collect()
        };
        assert_eq!(lines(Some("dist\nnode_modules\n")), vec![Some(3)]);
        assert!(lines(Some("node_modules\n")).is_empty());
        assert!(lines(None).is_empty());
    }
}
