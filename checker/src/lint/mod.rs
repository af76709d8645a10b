//! The Dockerfile linter: the parser, the rules, and what runs them.
//!
//! Two callers share it. The `dockerfile` check kind runs the rules an exercise names
//! and turns the findings into a verdict; `checker lint` runs every rule (or a chosen
//! set) on files given on the command line, with no Docker daemon, and writes text,
//! JSON or SARIF. Each rule is declared once, in [`RULES`], with the hadolint id and
//! the `docker build --check` name of the rules that judge the same thing, so a finding
//! can say which tool would agree with it, and the ignore comments of both tools
//! (`# hadolint ignore=DL3008`, `# check=skip=JSONArgsRecommended`) keep working.

pub mod ignore;
pub mod output;
pub mod parser;
pub mod rules;
pub mod sarif;
pub mod shell;

pub use parser::{Dockerfile, Instruction, Stage};

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's name in [`RULES`].
    pub rule: &'static str,
    /// The line concerned, when there is one.
    pub line: Option<usize>,
    /// French: what is wrong and how to fix it (without the line).
    pub message: String,
    /// The hadolint rule reporting the same problem, and the line it reports it on.
    pub hadolint: Option<(&'static str, usize)>,
    /// The `docker build --check` rule reporting the same problem, and its line.
    pub buildkit: Option<(&'static str, usize)>,
}

impl Finding {
    /// A finding at a line (the rule's name is filled in by [`run`]).
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Finding {
            rule: "",
            line: Some(line),
            message: message.into(),
            hadolint: None,
            buildkit: None,
        }
    }

    /// A finding about the whole file (something missing).
    pub fn global(message: impl Into<String>) -> Self {
        Finding {
            line: None,
            ..Finding::at(0, message)
        }
    }

    /// Says hadolint reports the same problem with `code`, on the same line.
    pub fn hadolint(mut self, code: &'static str) -> Self {
        self.hadolint = self.line.map(|l| (code, l));
        self
    }

    /// Says hadolint reports the same problem with `code`, on another line.
    pub fn hadolint_at(mut self, code: &'static str, line: usize) -> Self {
        self.hadolint = Some((code, line));
        self
    }

    /// Says `docker build --check` reports the same problem as `name`, on another line.
    pub fn buildkit_at(mut self, name: &'static str, line: usize) -> Self {
        self.buildkit = Some((name, line));
        self
    }

    /// Says `docker build --check` reports the same problem as `name`, on this line.
    pub fn buildkit(mut self, name: &'static str) -> Self {
        self.buildkit = self.line.map(|l| (name, l));
        self
    }

    /// The message with the equivalent rules of the other tools:
    /// « … (hadolint DL3006 ; docker build --check : FromAsCasing) ».
    pub fn explained(&self) -> String {
        let mut tools = Vec::new();
        if let Some((code, _)) = self.hadolint {
            tools.push(format!("hadolint {code}"));
        }
        if let Some((name, _)) = self.buildkit {
            tools.push(format!("docker build --check : {name}"));
        }
        if tools.is_empty() {
            self.message.clone()
        } else {
            format!("{} ({})", self.message, tools.join(" ; "))
        }
    }

    /// « ligne N : … » for a person reading a verdict.
    pub fn shown(&self) -> String {
        match self.line {
            Some(line) => format!("ligne {line} : {}", self.explained()),
            None => self.explained(),
        }
    }
}

/// What the rules look at: the parsed file and, for `CopyIgnoredFile`, the
/// `.dockerignore` of its build context.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub dockerfile: &'a Dockerfile,
    pub dockerignore: Option<&'a str>,
}

/// Families of rules, for the documentation and `checker lint --rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Base,
    Commands,
    User,
    Packages,
    Layers,
    Stages,
    Runtime,
    Secrets,
    Syntax,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Base => "Images de base",
            Family::Commands => "Commandes et forme JSON",
            Family::User => "Utilisateur",
            Family::Packages => "Paquets apt, apk et pip",
            Family::Layers => "Couches et cache",
            Family::Stages => "Étapes",
            Family::Runtime => "Ports et surveillance",
            Family::Secrets => "Secrets et fichiers exclus",
            Family::Syntax => "Syntaxe",
        }
    }
}

/// A rule: its name, what it expects (French), the rules of the other tools that
/// judge the same thing, and the function that finds where it is broken.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub family: Family,
    /// What the rule expects, as a phrase (« des images de base épinglées… »).
    pub expects: &'static str,
    /// hadolint rules with the same meaning.
    pub hadolint: &'static [&'static str],
    /// `docker build --check` rules with the same meaning.
    pub buildkit: &'static [&'static str],
    /// Where the rule is deliberately stricter than those tools (French).
    pub stricter: &'static str,
    pub check: fn(&Input) -> Vec<Finding>,
}

pub use rules::RULES;

/// The rule with this name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The closest rule name, for « vouliez-vous dire … ? ».
pub fn closest_rule(name: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|r| (strsim::levenshtein(r.name, name), r.name))
        .min()
        .filter(|(distance, _)| *distance <= 4)
        .map(|(_, n)| n)
}

/// Runs rules on a file: the findings in file order (those without a line last).
/// `honour_ignores` applies the file's own ignore comments (`checker lint` does; an
/// exercise's verdict does not, or a student could silence the rule being graded).
pub fn run(input: &Input, rules: &[&Rule], honour_ignores: bool) -> Vec<Finding> {
    let ignores = honour_ignores.then(|| ignore::Ignores::read(input.dockerfile));
    let mut out = Vec::new();
    for rule in rules {
        for mut finding in (rule.check)(input) {
            finding.rule = rule.name;
            if ignores.as_ref().is_some_and(|i| i.silences(rule, &finding)) {
                continue;
            }
            out.push(finding);
        }
    }
    out.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
    out
}

/// Lints a Dockerfile's text with every rule, honouring its ignore comments.
pub fn lint_text(text: &str, dockerignore: Option<&str>, rules: &[&Rule]) -> Vec<Finding> {
    let dockerfile = Dockerfile::parse(text);
    run(
        &Input {
            dockerfile: &dockerfile,
            dockerignore,
        },
        rules,
        true,
    )
}

/// Every rule, in table order.
pub fn all_rules() -> Vec<&'static Rule> {
    RULES.iter().collect()
}
