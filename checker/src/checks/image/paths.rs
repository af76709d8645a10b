//! A file or directory expected (or not) inside an image or a volume.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::docker::helper;
use crate::outcome::Mismatches;

/// A file or directory inside an image or a volume.
#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathSpec {
    pub path: String,
    /// `file` or `directory`; any kind when absent.
    pub kind: Option<String>,
    /// Text the file must contain.
    pub contains: Option<String>,
    /// Must be executable by someone.
    pub executable: Option<bool>,
}

impl PathSpec {
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.path.trim().is_empty() {
            out.push("`path` est vide".to_string());
        }
        if let Some(kind) = &self.kind
            && kind != "file"
            && kind != "directory"
        {
            out.push(format!("`kind: {kind}` : attendu `file` ou `directory`"));
        }
        out
    }

    /// Compares what was read with what is expected; `place` says where (« dans l'image … »).
    pub fn compare(&self, found: &Option<helper::PathInfo>, place: &str, m: &mut Mismatches) {
        let path = &self.path;
        let Some(info) = found else {
            m.push(
                format!("`{path}` existe {place}"),
                format!("`{path}` est introuvable {place}"),
            );
            return;
        };
        let kind = match &info.kind {
            helper::PathKind::File => "file",
            helper::PathKind::Directory => "directory",
            helper::PathKind::Symlink(_) => "symlink",
        };
        let french = |k: &str| match k {
            "file" => "un fichier",
            "directory" => "un dossier",
            _ => "un lien symbolique",
        };
        if let Some(expected) = &self.kind
            && expected != kind
        {
            m.push(
                format!("`{path}` est {}", french(expected)),
                format!("`{path}` est {}", french(kind)),
            );
            return;
        }
        if self.executable == Some(true) && info.mode & 0o111 == 0 {
            m.push(
                format!("`{path}` exécutable"),
                format!("droits {:o}", info.mode & 0o777),
            );
        }
        if let Some(expected) = &self.contains {
            let text = info
                .content
                .as_ref()
                .map(|c| String::from_utf8_lossy(c).to_string())
                .unwrap_or_default();
            if !text.contains(expected.as_str()) {
                m.push(
                    format!("`{path}` contient « {expected} »"),
                    format!("contenu : « {} »", crate::checks::common::excerpt(&text, 80)),
                );
            }
        }
    }
}
