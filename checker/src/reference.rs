//! Image references, parsed once for every part of the checker that names an image:
//! the `image`, `images`, `registry` and `client_config` kinds and the Dockerfile rules.
//!
//! The rules are the engine's (distribution/reference): the first component is a
//! registry host when it has a `.` or a `:` or is `localhost`; otherwise the image is
//! on Docker Hub, under `library/` when it has a single component; no tag means `latest`.

use std::sync::LazyLock;

use regex::Regex;

/// An image reference split the way the engine splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry for messages: `docker.io` or the host as written (`localhost:5000`).
    pub registry: String,
    /// Where the API answers (`registry-1.docker.io` for Docker Hub).
    pub api_host: String,
    /// `library/python`, `eleve/mon-app`, `mon-app`.
    pub repository: String,
    /// A tag, or a digest (`sha256:...`).
    pub reference: String,
    /// Plain HTTP (a registry on this machine).
    pub plain_http: bool,
}

impl Reference {
    pub fn is_docker_hub(&self) -> bool {
        self.registry == "docker.io"
    }

    pub(crate) fn is_digest(&self) -> bool {
        self.reference.contains(':')
    }

    pub(crate) fn base(&self) -> String {
        let scheme = if self.plain_http { "http" } else { "https" };
        format!("{scheme}://{}/v2/{}", self.api_host, self.repository)
    }

    pub fn manifest_url(&self) -> String {
        format!("{}/manifests/{}", self.base(), self.reference)
    }

    pub(crate) fn tags_url(&self) -> String {
        format!("{}/tags/list?n=100", self.base())
    }

    /// The registry for a sentence: « Docker Hub », « localhost:5000 ».
    pub(crate) fn place(&self) -> String {
        if self.is_docker_hub() {
            "Docker Hub".to_string()
        } else {
            format!("`{}`", self.registry)
        }
    }

    /// The repository as the student names it (`eleve/mon-app`, `python`).
    pub(crate) fn shown_repository(&self) -> &str {
        if self.is_docker_hub() {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
        } else {
            &self.repository
        }
    }
}

/// Docker Hub's names: for references and for the keys `docker login` writes.
pub const DOCKER_HUB_HOSTS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

static COMPONENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").ok());
static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").ok());
static DIGEST: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$").ok());

fn is_match(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// Parses `[host[:port]/]path[:tag][@digest]`. The first component is a registry host
/// when it contains `.` or `:` or is `localhost` (the engine's rule); otherwise the image
/// is on Docker Hub, under `library/` when it has a single component. No tag means
/// `latest`.
pub fn parse_reference(text: &str) -> Result<Reference, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("la référence d'image est vide".to_string());
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    let (host, path) = match rest.split_once('/') {
        Some((first, path))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), path)
        }
        _ => (None, rest),
    };
    let (path, tag) = match path.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (path, None),
    };
    if path.is_empty() {
        return Err(format!("« {text} » ne nomme aucun dépôt"));
    }
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "« {text} » : les noms de dépôt s'écrivent en minuscules"
        ));
    }
    if let Some(bad) = path.split('/').find(|c| !is_match(&COMPONENT, c)) {
        return Err(format!(
            "« {text} » : `{bad}` n'est pas un nom de dépôt valide (minuscules, chiffres, `.`, `_`, `-`)"
        ));
    }
    if let Some(tag) = tag
        && !is_match(&TAG, tag)
    {
        return Err(format!("« {text} » : `{tag}` n'est pas un tag valide"));
    }
    if let Some(digest) = digest
        && !is_match(&DIGEST, digest)
    {
        return Err(format!(
            "« {text} » : `{digest}` n'est pas un digest valide (`sha256:...`)"
        ));
    }
    let reference = digest.or(tag).unwrap_or("latest").to_string();
    let hub = host.is_none_or(|h| DOCKER_HUB_HOSTS.contains(&h.to_ascii_lowercase().as_str()));
    if hub {
        let repository = if path.contains('/') {
            path.to_string()
        } else {
            format!("library/{path}")
        };
        return Ok(Reference {
            registry: "docker.io".to_string(),
            api_host: "registry-1.docker.io".to_string(),
            repository,
            reference,
            plain_http: false,
        });
    }
    let host = host.unwrap_or_default();
    Ok(Reference {
        registry: host.to_string(),
        api_host: host.to_string(),
        repository: path.to_string(),
        reference,
        plain_http: is_local_host(host),
    })
}

/// `localhost:5000`, `127.0.0.1`, `[::1]:5000`: registries the engine reaches in HTTP.
pub fn is_local_host(host: &str) -> bool {
    let name = if let Some(bracketed) = host.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

/// Normalises an image reference the way the engine does: `nginx` → `nginx:latest`,
/// `docker.io/library/nginx` → `nginx:latest`. Podman files the images it builds or tags
/// under short names as `localhost/NAME` (no port: not a registry anyone pushes to), and
/// reports containers of `podman run nginx:latest` with that name: it is the same image.
pub fn normalize_image(reference: &str) -> String {
    let mut name = reference.trim().to_string();
    for prefix in [
        "docker.io/library/",
        "docker.io/",
        "index.docker.io/library/",
        "localhost/",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.to_string();
        }
    }
    if let Some(rest) = name.strip_prefix("library/") {
        name = rest.to_string();
    }
    let last = name.rsplit('/').next().unwrap_or_default();
    if !last.contains(':') && !name.contains('@') {
        name.push_str(":latest");
    }
    name
}

/// A registry key reduced to its host, Docker Hub's many names to `docker.io`:
/// `https://index.docker.io/v1/` → `docker.io`, `http://localhost:5000` → `localhost:5000`.
pub fn normalize_registry(key: &str) -> String {
    let lower = key.trim().to_ascii_lowercase();
    let without_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = without_scheme.split('/').next().unwrap_or_default();
    // `https://user:password@host`: the credentials are not part of the name, and must
    // never be printed.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if DOCKER_HUB_HOSTS.contains(&host) {
        "docker.io".to_string()
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_registry_key_are_dropped() {
        assert_eq!(
            normalize_registry("https://camille:s3cret@registry.example.com/v2/"),
            "registry.example.com"
        );
    }

    #[test]
    fn image_references_are_normalised() {
        assert_eq!(normalize_image("nginx"), "nginx:latest");
        assert_eq!(normalize_image("docker.io/library/nginx"), "nginx:latest");
        assert_eq!(normalize_image("nginx:1.21-alpine"), "nginx:1.21-alpine");
        assert_eq!(
            normalize_image("localhost:5000/mon-app"),
            "localhost:5000/mon-app:latest"
        );
        assert_eq!(normalize_image("localhost/nginx:latest"), "nginx:latest");
        assert_eq!(
            normalize_image("localhost/eleve/mon-app:1.0"),
            "eleve/mon-app:1.0"
        );
        assert_eq!(normalize_image("eleve/mon-app:1.0"), "eleve/mon-app:1.0");
    }

    #[test]
    fn references_are_parsed_like_the_engine() {
        let r = parse_reference("localhost:5000/mon-app:1.0").expect("valid");
        assert_eq!(
            r,
            Reference {
                registry: "localhost:5000".to_string(),
                api_host: "localhost:5000".to_string(),
                repository: "mon-app".to_string(),
                reference: "1.0".to_string(),
                plain_http: true,
            }
        );
        assert_eq!(
            r.manifest_url(),
            "http://localhost:5000/v2/mon-app/manifests/1.0"
        );

        let r = parse_reference("eleve/mon-app:1.0").expect("valid");
        assert!(r.is_docker_hub());
        assert_eq!(
            r.manifest_url(),
            "https://registry-1.docker.io/v2/eleve/mon-app/manifests/1.0"
        );

        let r = parse_reference("python").expect("valid");
        assert_eq!(
            (r.repository.as_str(), r.reference.as_str()),
            ("library/python", "latest")
        );
        assert_eq!(r.shown_repository(), "python");

        let r = parse_reference("docker.io/library/nginx:1.27").expect("valid");
        assert_eq!(
            (r.api_host.as_str(), r.repository.as_str()),
            ("registry-1.docker.io", "library/nginx")
        );

        let r = parse_reference("ghcr.io/eleve/app/web:v2").expect("valid");
        assert_eq!(
            (r.api_host.as_str(), r.repository.as_str(), r.plain_http),
            ("ghcr.io", "eleve/app/web", false)
        );

        let r = parse_reference("localhost/app").expect("valid");
        assert_eq!(
            (r.registry.as_str(), r.reference.as_str(), r.plain_http),
            ("localhost", "latest", true)
        );

        let r = parse_reference("127.0.0.1:5000/app:1").expect("valid");
        assert!(r.plain_http);

        let digest = format!("sha256:{}", "a".repeat(64));
        let r = parse_reference(&format!("localhost:5000/app@{digest}")).expect("valid");
        assert_eq!(r.reference, digest);

        for bad in [
            "",
            "Eleve/app:1.0",
            "localhost:5000/",
            "app:bad tag",
            "app@sha256:xyz",
            "a//b",
        ] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
    }
}
