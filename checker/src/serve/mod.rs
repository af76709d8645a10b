//! `checker serve`: the course book and its checks in one browser page, on the
//! student's own machine.
//!
//! The book is built in-process from sources compiled into the binary ([`sources`]), so
//! an installed `checker` needs no checkout. The server then listens on `127.0.0.1`
//! only and answers a handful of routes, all under a random per-run token
//! (`/TOKEN/…`), which is the only address it prints and opens:
//!
//! - the book's files; each HTML page gets `<meta name="checker-serve">` giving the
//!   API's path, so the cards' « Vérifier » button knows it may ask;
//! - `POST /TOKEN/api/check/ID`: runs exercise ID's checks (read-only, as `checker
//!   exercise ID` does) and answers the verdicts; never a solution or a clean-up, and
//!   never anything taken from the request's body, which must be empty;
//! - `GET /TOKEN/api/progress`: the progress file, for the sidebar and the cards;
//! - `GET /TOKEN/api/events`: server-sent events, one `changed` per change of Docker's
//!   state (see [`crate::docker::changes`]).
//!
//! A web page the student visits elsewhere must not be able to drive it: a request
//! whose `Host` is not `127.0.0.1:PORT` is refused (DNS rebinding: `evil.example`
//! resolving to 127.0.0.1 sends `Host: evil.example:PORT`), so is one whose `Origin`
//! is not this server's own (a POST must carry it), and one without the token (which a
//! page elsewhere cannot know). At most [`MAX_IN_FLIGHT`] checks run at once; more get
//! `429`. Pages are sent with `Referrer-Policy: no-referrer`, so the token never leaves
//! in a link's `Referer`.

pub mod sources;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;
use tokio::sync::{OnceCell, Semaphore, watch};

use crate::catalog::Catalog;
use crate::docker::{self, Connection, Environment, helper};
use crate::markdown::to_html;
use crate::outcome::{ExerciseResult, Status};
use crate::progress::{Mark, Store};
use crate::runner::{self, RunOptions};

/// Checks running at the same time, at most; a burst of clicks beyond gets `429`.
pub const MAX_IN_FLIGHT: usize = 2;

type Body = BoxBody<Bytes, Infallible>;

/// Everything a request may need, shared by the connections.
pub struct Server {
    /// The built book's HTML folder.
    pub root: PathBuf,
    pub token: String,
    /// `127.0.0.1:PORT`: the only `Host` accepted.
    pub host: String,
    /// `http://127.0.0.1:PORT`: the only `Origin` accepted.
    pub origin: String,
    pub catalog: Catalog,
    /// The engine; empty while Docker has not answered (`checker serve` started before
    /// Docker Desktop): each check then tries to reach it.
    connection: OnceCell<Connection>,
    pub store: Option<Store>,
    /// Exercise id → the page its card is on (`ch02-conteneurs.html`).
    pub pages: BTreeMap<String, String>,
    pub changes: watch::Receiver<u64>,
    pub options: RunOptions,
    /// The folder the checks read student files from (where `checker serve` started).
    pub workdir: PathBuf,
    permits: Semaphore,
    running: AtomicUsize,
}

impl Server {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        root: PathBuf,
        address: SocketAddr,
        catalog: Catalog,
        connection: Option<Connection>,
        store: Option<Store>,
        changes: watch::Receiver<u64>,
        options: RunOptions,
        workdir: PathBuf,
    ) -> Result<Self, String> {
        let pages = sources::card_pages(&root);
        Ok(Self {
            root,
            token: token()?,
            host: address.to_string(),
            origin: format!("http://{address}"),
            catalog,
            connection: OnceCell::new_with(connection),
            store,
            pages,
            changes,
            options,
            workdir,
            permits: Semaphore::new(MAX_IN_FLIGHT),
            running: AtomicUsize::new(0),
        })
    }

    /// The engine, reached now if it did not answer before.
    async fn engine(&self) -> Result<&Connection, String> {
        self.connection
            .get_or_try_init(|| async {
                docker::connect(&Environment::from_process())
                    .await
                    .map_err(|(_, why)| why.explain())
            })
            .await
    }

    /// The engine if it was reached, to remove the helpers when the server stops.
    pub fn reached_engine(&self) -> Option<&Connection> {
        self.connection.get()
    }

    /// The address to open: the book's first page, under the token.
    pub fn url(&self) -> String {
        format!("{}/{}/", self.origin, self.token)
    }

    /// Answers one request: the refusals first, then the routes.
    pub async fn handle(self: Arc<Self>, request: Request<Incoming>) -> Response<Body> {
        if let Some(refusal) = self.refusal(&request) {
            return refusal;
        }
        let path = request.uri().path().to_string();
        let Some(rest) = path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(self.token.as_str()))
            .and_then(|p| p.strip_prefix('/').or(p.is_empty().then_some("")))
        else {
            return text(
                StatusCode::FORBIDDEN,
                "Adresse sans le jeton de cette session : ouvrez l'adresse que `checker serve` \
                 a affichée dans le terminal.",
            );
        };
        let rest = rest.to_string();
        match (request.method(), rest.as_str()) {
            (&Method::POST, r) if r.starts_with("api/check/") => {
                let id = r.trim_start_matches("api/check/").to_string();
                self.check(&request, &id).await
            }
            (&Method::GET, "api/progress") => self.progress(),
            (&Method::GET, "api/events") => self.events(),
            (_, r) if r.starts_with("api/") => text(
                StatusCode::NOT_FOUND,
                "Cette adresse de l'API n'existe pas.",
            ),
            (&Method::GET | &Method::HEAD, file) => self.file(file),
            _ => text(
                StatusCode::METHOD_NOT_ALLOWED,
                "Méthode refusée : les pages se lisent (GET), seule une vérification se demande (POST).",
            ),
        }
    }

    /// Why a request is refused before anything else, if it is: another `Host`, another
    /// `Origin`, a POST without `Origin`.
    fn refusal(&self, request: &Request<Incoming>) -> Option<Response<Body>> {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if host != Some(self.host.as_str()) {
            return Some(text(
                StatusCode::MISDIRECTED_REQUEST,
                &format!(
                    "Hôte refusé : ce serveur ne répond qu'à l'adresse {} (protection contre le \
                     « DNS rebinding »).",
                    self.host
                ),
            ));
        }
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|h| h.to_str().ok());
        match origin {
            Some(o) if o != self.origin => Some(text(
                StatusCode::FORBIDDEN,
                "Origine refusée : seules les pages servies par ce checker peuvent l'interroger.",
            )),
            None if request.method() == Method::POST => Some(text(
                StatusCode::FORBIDDEN,
                "Origine absente : une vérification se demande depuis une page servie par ce checker.",
            )),
            _ => None,
        }
    }

    /// `POST api/check/ID`: the exercise's checks, nothing else.
    async fn check(&self, request: &Request<Incoming>, id: &str) -> Response<Body> {
        if has_body(request) {
            return text(
                StatusCode::BAD_REQUEST,
                "Une vérification ne prend rien dans le corps de la requête : envoyez-la vide.",
            );
        }
        let Some(entry) = self.catalog.get(id) else {
            return json_error(
                StatusCode::NOT_FOUND,
                &format!("L'exercice « {id} » n'existe pas dans le catalogue."),
            );
        };
        if entry.exercise.informational {
            return json_error(
                StatusCode::BAD_REQUEST,
                &format!("L'exercice {id} est informatif : il n'y a rien à vérifier."),
            );
        }
        let Ok(_permit) = self.permits.try_acquire() else {
            return json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de vérifications en cours : attendez la fin de celles-ci, puis recommencez.",
            );
        };
        let progress = self
            .store
            .as_ref()
            .map(|s| s.load_or_empty(|_| {}))
            .unwrap_or_default();
        let exercise = match progress.personalised(entry, BTreeMap::new()) {
            Ok(x) => x,
            Err(e) => return json_error(StatusCode::BAD_REQUEST, &e),
        };
        let connection = match self.engine().await {
            Ok(c) => c,
            Err(why) => {
                return json_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!(
                        "Docker ne répond pas, rien n'a été vérifié : {why} \
                         Démarrez Docker, puis cliquez de nouveau sur « Vérifier »."
                    ),
                );
            }
        };
        self.running.fetch_add(1, Ordering::SeqCst);
        let ctx = crate::checks::Context::new(connection.docker.clone(), self.workdir.clone())
            .with_engine_address(&connection.endpoint.host);
        let result = runner::run_exercise(&ctx, &exercise, self.options).await;
        // Helpers are process-wide: removed once no other check may be reading one.
        if self.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            helper::remove_all(&connection.docker).await;
        }
        if let Some(store) = &self.store {
            let _ = store.update(|p| p.record(&result));
        }
        let hints = exercise
            .checks
            .iter()
            .filter_map(|c| c.hint.as_deref().map(|h| (c.id.clone(), to_html(h))))
            .collect();
        let answer = CheckAnswer {
            done: result.all_passed(),
            summary_html: summary_html(&result),
            exercise: &result,
            hints,
        };
        json(StatusCode::OK, &answer)
    }

    /// `GET api/progress`: every exercise's mark and page.
    fn progress(&self) -> Response<Body> {
        let progress = self
            .store
            .as_ref()
            .map(|s| s.load_or_empty(|_| {}))
            .unwrap_or_default();
        let exercises: BTreeMap<&str, ProgressItem> = self
            .catalog
            .entries()
            .iter()
            .filter(|e| !e.exercise.informational)
            .map(|e| {
                let id = e.exercise.id.as_str();
                (
                    id,
                    ProgressItem {
                        mark: progress.mark(id),
                        page: self.pages.get(id).map(String::as_str),
                    },
                )
            })
            .collect();
        json(
            StatusCode::OK,
            &serde_json::json!({ "user": progress.user, "exercises": exercises }),
        )
    }

    /// `GET api/events`: `event: changed` on each change of Docker's state, and a
    /// comment every 15 s so proxies and browsers keep the stream open.
    fn events(&self) -> Response<Body> {
        let changes = self.changes.clone();
        let stream = futures_util::stream::unfold(
            (changes, true),
            |(mut changes, first)| async move {
                if first {
                    return Some((
                        Ok(Frame::data(Bytes::from_static(b"retry: 2000\n: pret\n\n"))),
                        (changes, false),
                    ));
                }
                let frame = tokio::select! {
                    changed = changes.changed() => {
                        changed.ok()?;
                        Bytes::from_static(b"event: changed\ndata: docker\n\n")
                    }
                    () = tokio::time::sleep(Duration::from_secs(15)) => Bytes::from_static(b": attente\n\n"),
                };
                Some((Ok(Frame::data(frame)), (changes, false)))
            },
        );
        let mut response = Response::new(BodyExt::boxed(StreamBody::new(stream)));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    /// A file of the book; HTML pages get the API's address.
    fn file(&self, relative: &str) -> Response<Body> {
        let Some(path) = safe_path(&self.root, relative) else {
            return text(StatusCode::NOT_FOUND, "Page introuvable.");
        };
        let path = if path.is_dir() {
            path.join("index.html")
        } else {
            path
        };
        let Ok(bytes) = std::fs::read(&path) else {
            return text(StatusCode::NOT_FOUND, "Page introuvable.");
        };
        let kind = content_type(&path);
        let body = if kind.starts_with("text/html") {
            let page = String::from_utf8_lossy(&bytes);
            let meta = format!(
                "<meta name=\"checker-serve\" content=\"/{}/api/\">\n</head>",
                self.token
            );
            Bytes::from(page.replacen("</head>", &meta, 1))
        } else {
            Bytes::from(bytes)
        };
        let mut response = Response::new(BodyExt::boxed(Full::new(body)));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[derive(Serialize)]
struct CheckAnswer<'a> {
    exercise: &'a ExerciseResult,
    /// Check id → its hint, rendered from the catalogue's Markdown.
    hints: BTreeMap<String, String>,
    done: bool,
    summary_html: String,
}

#[derive(Serialize)]
struct ProgressItem<'a> {
    mark: Mark,
    page: Option<&'a str>,
}

/// The line under the button: the score in words, then what comes next.
fn summary_html(result: &ExerciseResult) -> String {
    let total = result.checks.len();
    let passed = result.count(Status::Pass);
    let failed = result.count(Status::Fail);
    let unknown = result.count(Status::CannotCheck);
    let mut line = if result.all_passed() {
        format!(
            "<strong>✔ Exercice réussi</strong> : {passed} vérification{s} sur {total}.",
            s = if passed > 1 { "s" } else { "" }
        )
    } else {
        let mut parts = vec![format!(
            "<strong>✘ {passed}/{total} vérification{s} réussie{s}</strong>",
            s = if total > 1 { "s" } else { "" }
        )];
        if failed > 0 {
            parts.push(format!(
                "{failed} échec{}",
                if failed > 1 { "s" } else { "" }
            ));
        }
        if unknown > 0 {
            parts.push(format!(
                "{unknown} impossible{} à vérifier",
                if unknown > 1 { "s" } else { "" }
            ));
        }
        format!(
            "{}. Corrigez ce qui échoue, le checker revérifie dès que Docker change.",
            parts.join(" · ")
        )
    };
    if result.all_passed()
        && let Some(next) = &result.next
    {
        line.push(' ');
        line.push_str(crate::markdown::to_inline_html(next).as_str());
    }
    line
}

/// A random token of 128 bits, hexadecimal, from the operating system.
fn token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("générateur aléatoire indisponible : {e}"))?;
    Ok(hex::encode(bytes))
}

/// Whether the request announces a body (a length above zero, or chunks).
fn has_body(request: &Request<Incoming>) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// A path inside `root`, or `None` for anything that could leave it (`..`, absolute
/// paths, backslashes, percent-encoded bytes the book never uses).
fn safe_path(root: &Path, relative: &str) -> Option<PathBuf> {
    if relative.contains(['\\', '%', '\0']) {
        return None;
    }
    let relative = Path::new(relative);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(root.join(relative))
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A whole response: status, type, body, never cached.
fn respond(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(BodyExt::boxed(Full::new(Bytes::from(body))));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        format!("{message}\n").into_bytes(),
    )
}

fn json(status: StatusCode, value: &impl Serialize) -> Response<Body> {
    respond(
        status,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

fn json_error(status: StatusCode, message: &str) -> Response<Body> {
    json(status, &serde_json::json!({ "error": message }))
}

/// Accepts connections until `stop` resolves; each connection is served on its own task.
pub async fn serve(
    listener: tokio::net::TcpListener,
    server: Arc<Server>,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => return,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let server = server.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(server.handle(request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_book() {
        let root = Path::new("/livre");
        assert_eq!(
            safe_path(root, "ch02.html"),
            Some(PathBuf::from("/livre/ch02.html"))
        );
        assert_eq!(safe_path(root, ""), Some(PathBuf::from("/livre/")));
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "/etc/passwd",
            "%2e%2e/x",
            "a\\b",
        ] {
            assert_eq!(safe_path(root, bad), None, "{bad}");
        }
    }

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (token().expect("token"), token().expect("token"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
