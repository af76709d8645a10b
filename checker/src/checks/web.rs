//! The checker's HTTP clients, built on first use.
//!
//! Building a client that speaks HTTPS loads the system's certificate store: about 150
//! files read and parsed, longer than everything else `checker exercise 2.1` does. Most
//! checks ask `http://localhost:PORT` only, so plain URLs get a client that never loads
//! it, and the verifying client is built the first time an `https://` URL comes up.
//!
//! The pages of one look at the host are kept too, like the Docker objects of the
//! snapshot: a page can then be asked for while the engine is still being reached
//! ([`Web::prefetch`]), and the `http` check finds the answer waiting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use reqwest::redirect::{Attempt, Policy};
use reqwest::{Client, RequestBuilder};
use tokio::sync::OnceCell;

/// Redirects followed before giving up, as a browser would (a few, not forever).
const MAX_REDIRECTS: usize = 5;

/// Most of a body that is read: a page, not a download. An endless body (a container
/// streaming `/dev/urandom`) then costs 1 MiB, not all the memory the timeout allows.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What one `GET` of a page gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// The status, the body as text (up to [`BODY_LIMIT`]) and whether it was cut there.
    Page {
        status: u16,
        body: String,
        truncated: bool,
    },
    /// Nothing listens on the port: the connection was refused.
    Refused,
    /// No answer, or no whole answer, within the timeout.
    TimedOut { partial: bool },
    /// Any other failure, described.
    Failed(String),
    /// The answer came but its body could not be read.
    Unreadable(String),
}

type Pages = Mutex<HashMap<(String, Duration), Arc<OnceCell<Fetched>>>>;

#[derive(Debug, Clone, Default)]
pub struct Web {
    plain: Arc<OnceLock<Client>>,
    secure: Arc<OnceLock<Client>>,
    pages: Arc<Pages>,
}

impl Web {
    /// The same clients with no page kept: a retried check must see the page as it is
    /// now.
    pub fn fresh(&self) -> Self {
        Self {
            pages: Arc::default(),
            ..self.clone()
        }
    }

    /// The page at `url`, fetched once for this look at the host.
    pub async fn page(&self, url: &str, timeout: Duration) -> Fetched {
        let cell = {
            // A poisoned lock only means another check panicked holding it.
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            pages.entry((url.to_string(), timeout)).or_default().clone()
        };
        cell.get_or_init(|| self.fetch(url, timeout)).await.clone()
    }

    /// Starts fetching `url` in the background; [`Web::page`] later finds it done or
    /// under way.
    pub fn prefetch(&self, url: &str, timeout: Duration) {
        let (web, url) = (self.clone(), url.to_string());
        tokio::spawn(async move { web.page(&url, timeout).await });
    }

    async fn fetch(&self, url: &str, timeout: Duration) -> Fetched {
        let mut response = self.get(url).timeout(timeout).send().await;
        if let Some(target) = response.as_ref().ok().and_then(upgrade_target) {
            response = self.secure().get(target).timeout(timeout).send().await;
        }
        let response = match response {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return Fetched::TimedOut { partial: false },
            Err(e) if e.is_connect() => return Fetched::Refused,
            Err(e) => return Fetched::Failed(e.to_string()),
        };
        let status = response.status().as_u16();
        match tokio::time::timeout(timeout, bounded_text(response)).await {
            Ok(Ok((body, truncated))) => Fetched::Page {
                status,
                body,
                truncated,
            },
            Ok(Err(e)) => Fetched::Unreadable(e.to_string()),
            Err(_) => Fetched::TimedOut { partial: true },
        }
    }

    /// A `GET` of `url`, through the client its scheme needs.
    pub fn get(&self, url: &str) -> RequestBuilder {
        self.client(url).get(url)
    }

    /// A `HEAD` of `url`, through the client its scheme needs.
    pub fn head(&self, url: &str) -> RequestBuilder {
        self.client(url).head(url)
    }

    /// The client that checks certificates, whatever the URL.
    pub fn secure(&self) -> &Client {
        self.secure
            .get_or_init(|| build(Client::builder().redirect(Policy::limited(MAX_REDIRECTS))))
    }

    fn client(&self, url: &str) -> &Client {
        if url.starts_with("http://") {
            self.plain.get_or_init(|| {
                // No certificate is trusted, and a redirect to `https://` is not followed:
                // the response says where it leads, and `secure()` follows it (see
                // `upgrade_target`).
                build(
                    Client::builder()
                        .tls_certs_only([])
                        .redirect(Policy::custom(plain_redirects)),
                )
            })
        } else {
            self.secure()
        }
    }
}

/// The body as text, up to [`BODY_LIMIT`] bytes, and whether it was cut there.
async fn bounded_text(mut response: reqwest::Response) -> Result<(String, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = BODY_LIMIT - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((String::from_utf8_lossy(&body).into_owned(), true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((String::from_utf8_lossy(&body).into_owned(), false))
}

/// Where a plain-HTTP response sends the client when that is an `https://` URL (a site
/// that moves everyone to HTTPS): it is fetched again with [`Web::secure`].
fn upgrade_target(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?;
    let target = response.url().join(location).ok()?;
    (target.scheme() == "https").then(|| target.to_string())
}

fn plain_redirects(attempt: Attempt) -> reqwest::redirect::Action {
    if attempt.previous().len() >= MAX_REDIRECTS {
        attempt.error("trop de redirections")
    } else if attempt.url().scheme() == "https" {
        attempt.stop()
    } else {
        attempt.follow()
    }
}

fn build(builder: reqwest::ClientBuilder) -> Client {
    builder
        // Named, so that no check counts the checker's own requests (see own_traffic).
        .user_agent(crate::docker::own_traffic::USER_AGENT)
        .no_proxy()
        .build()
        .unwrap_or_default()
}
