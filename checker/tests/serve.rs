//! `checker serve`: the book under a per-run token, and each refusal that keeps another
//! web page from driving the checker (another `Host`, another `Origin`, no token, a
//! body, too many checks at once), proved with raw HTTP requests; the check endpoint
//! gives `checker exercise`'s verdict and changes nothing on the host.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::*;

/// A running `checker serve`, stopped with SIGINT (as Ctrl-C) when dropped.
struct Served {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    token: String,
}

impl Served {
    fn start(state: &std::path::Path) -> Self {
        Self::start_with(state, &[])
    }

    fn start_with(state: &std::path::Path, env: &[(&str, &str)]) -> Self {
        let mut child = checker()
            .args(["serve", "--no-open"])
            .env("CHECKER_STATE", state)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.contains("http://"))
            .expect("serve prints its address");
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("url")
            .to_string();
        let rest = url.trim_start_matches("http://");
        let (address, token) = rest.split_once('/').expect("token in the url");
        Served {
            child,
            address: address.to_string(),
            token: token.trim_end_matches('/').to_string(),
        }
    }

    /// Sends a raw request; returns the status code and the body.
    fn raw(&self, request: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn get(&self, path: &str, headers: &str) -> (u16, String) {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{headers}Connection: close\r\n\r\n",
            self.address
        ))
    }

    fn check(&self, id: &str, headers: &str) -> (u16, String) {
        self.raw(&format!(
            "POST /{}/api/check/{id} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n",
            self.token, self.address
        ))
    }

    fn origin(&self) -> String {
        format!("Origin: http://{}\r\n", self.address)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Docker not started yet (Docker Desktop launched after the course): the course is
/// served all the same, and « Vérifier » says Docker does not answer, checking nothing.
#[test]
fn serve_without_docker_serves_the_course_and_says_why_nothing_is_checked() {
    let state = tempfile::tempdir().expect("tempdir");
    let missing = state.path().join("docker.sock");
    let host = format!("unix://{}", missing.display());
    let served = Served::start_with(
        &state.path().join("progress.json"),
        &[("DOCKER_HOST", &host)],
    );
    let (status, page) = served.get(&format!("/{}/ch02-conteneurs.html", served.token), "");
    assert_eq!(status, 200);
    assert!(
        page.contains("data-verify=\"2.1\""),
        "the card has its button"
    );
    let (status, body) = served.check("2.1", &served.origin());
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("Docker ne répond pas"), "{body}");
    assert!(body.contains("rien n'a été vérifié"), "{body}");
}

#[test]
fn serve_refuses_what_another_page_could_send_and_checks_like_exercise() {
    docker_test!();
    clean("2.1");
    let state = tempfile::tempdir().expect("tempdir");
    let served = Served::start(&state.path().join("progress.json"));
    let token = served.token.clone();
    assert_eq!(token.len(), 32, "a 128-bit token");

    // The book, under the token, with the API's address for the button.
    let (status, page) = served.get(&format!("/{token}/ch02-conteneurs.html"), "");
    assert_eq!(status, 200);
    assert!(page.contains(&format!(
        "<meta name=\"checker-serve\" content=\"/{token}/api/\">"
    )));
    assert!(
        page.contains("data-verify=\"2.1\""),
        "the card has its button"
    );

    // Without the token, with a wrong one, or outside the book: refused.
    assert_eq!(served.get("/ch02-conteneurs.html", "").0, 403);
    assert_eq!(served.get("/0123456789abcdef0123456789abcdef/", "").0, 403);
    assert_eq!(
        served.get(&format!("/{token}/../../../etc/passwd"), "").0,
        404
    );
    // Another Host (DNS rebinding), even with the token.
    let (status, body) = served.raw(&format!(
        "GET /{token}/ HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
        served.address.rsplit(':').next().unwrap_or_default()
    ));
    assert_eq!(status, 421, "{body}");
    assert!(body.contains("Hôte refusé"), "{body}");
    let (status, _) = served.raw(&format!(
        "POST /{token}/api/check/2.1 HTTP/1.1\r\nHost: localhost.evil.example\r\n{}Content-Length: 0\r\nConnection: close\r\n\r\n",
        served.origin()
    ));
    assert_eq!(status, 421);
    // Another Origin, or none on a POST.
    let (status, body) = served.check("2.1", "Origin: http://evil.example\r\n");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("Origine refusée"), "{body}");
    assert_eq!(served.check("2.1", "").0, 403);
    assert_eq!(
        served
            .get(
                &format!("/{token}/api/progress"),
                "Origin: http://evil.example\r\n"
            )
            .0,
        403
    );
    // Anything in the body (a command to run?) is refused, never read.
    let (status, body) = served.raw(&format!(
        "POST /{token}/api/check/2.1 HTTP/1.1\r\nHost: {}\r\n{}Content-Length: 30\r\nConnection: close\r\n\r\ndocker rm -f mon-serveur-nginx",
        served.address,
        served.origin()
    ));
    assert_eq!(status, 400, "{body}");
    // Only checks: no other action exists, no other method runs one.
    let (status, _) = served.raw(&format!(
        "POST /{token}/api/solve/2.1 HTTP/1.1\r\nHost: {}\r\n{}Content-Length: 0\r\nConnection: close\r\n\r\n",
        served.address,
        served.origin()
    ));
    assert_eq!(status, 404);
    assert_eq!(served.get(&format!("/{token}/api/check/2.1"), "").0, 404);

    // The check itself: the same verdict as `checker exercise 2.1` on this host.
    let (status, body) = served.check("2.1", &served.origin());
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("json");
    let (_, expected, _) = verdict("2.1");
    let got = statuses_of(&answer["exercise"]);
    assert_eq!(got, expected);
    assert_eq!(answer["done"], false);
    assert!(
        answer["hints"]["existe"]
            .as_str()
            .unwrap_or_default()
            .contains("docker run")
    );
    // Read-only: the check created nothing.
    let (_, after, _) = verdict("2.1");
    assert_eq!(after["existe"], "fail");
    // The progress the page reads: 2.1 tried, not done.
    let (_, progress) = served.get(&format!("/{token}/api/progress"), "");
    let progress: serde_json::Value = serde_json::from_str(&progress).expect("json");
    assert_eq!(progress["exercises"]["2.1"]["mark"], "failed");
    assert_eq!(progress["exercises"]["2.1"]["page"], "ch02-conteneurs.html");

    // Bounded: with every check of 2.1 waiting (its page check retries for 1 s on a
    // host without the container), a third check at once is refused.
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let address = served.address.clone();
            let token = token.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&address).expect("connect");
                let request = format!(
                    "POST /{token}/api/check/2.1 HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                stream.write_all(request.as_bytes()).expect("write");
                let mut response = String::new();
                let _ = stream.read_to_string(&mut response);
                response.split_whitespace().nth(1).unwrap_or_default().to_string()
            })
        })
        .collect();
    let statuses: Vec<String> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    assert!(
        statuses.iter().any(|s| s == "429"),
        "at most {} checks at once: {statuses:?}",
        checker::serve::MAX_IN_FLIGHT
    );
    assert!(statuses.iter().any(|s| s == "200"), "{statuses:?}");
    drop(served);
    assert_eq!(helpers_left(), 0);
}
