//! The first word with the engine: `GET /_ping`, whose `Api-Version` header says which
//! API version to speak.
//!
//! This is how the docker CLI negotiates, and why it does: `/_ping` is answered from
//! memory, while `/version` asks containerd for its version and runs `runc --version`
//! and `docker-init --version` (about 8 ms on Engine 28.5, longer than a container
//! inspect). bollard negotiates with `/version` and does not expose `/_ping`'s headers,
//! so the ping is made here, on the local transports a student uses (a unix socket,
//! plain TCP). TLS and ssh endpoints, and an engine or proxy whose ping says no version,
//! keep `/version`.

use http_body_util::Empty;
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

use super::Endpoint;

/// What the ping said: the engine's own API version, if its answer carried one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pinged {
    /// `Api-Version: 1.51`.
    Version(String),
    /// The engine answered without the header (an old proxy): ask `/version`.
    NoVersion,
    /// This transport is not pinged here (TLS, ssh, named pipe): ask `/version`.
    NotTried,
}

/// Pings the endpoint. An error is the transport's own (refused, no such socket...),
/// for the caller to classify like bollard's.
pub async fn ping(endpoint: &Endpoint) -> std::io::Result<Pinged> {
    if let Some(path) = endpoint.unix_path() {
        #[cfg(unix)]
        {
            let stream = tokio::net::UnixStream::connect(path).await?;
            return ask(stream).await;
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            return Ok(Pinged::NotTried);
        }
    }
    if endpoint.tls.is_none()
        && let Some(address) = plain_tcp_address(&endpoint.host)
    {
        let stream = tokio::net::TcpStream::connect(address).await?;
        return ask(stream).await;
    }
    Ok(Pinged::NotTried)
}

/// `host:port` of a `tcp://` or `http://` endpoint, without path.
fn plain_tcp_address(host: &str) -> Option<&str> {
    let rest = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("http://"))?;
    let address = rest.split('/').next().unwrap_or(rest);
    (!address.is_empty()).then_some(address)
}

async fn ask<S>(stream: S) -> std::io::Result<Pinged>
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    // The connection is driven by its own task, which ends with the exchange.
    tokio::spawn(connection);
    let request = Request::get("/_ping")
        // Go's HTTP server refuses an HTTP/1.1 request without a Host; the CLI sends
        // this one for local sockets.
        .header(hyper::header::HOST, "api.moby.localhost")
        .body(Empty::<Bytes>::new())
        .map_err(std::io::Error::other)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(std::io::Error::other)?;
    Ok(read_version(response.headers()))
}

/// The `Api-Version` header, when it reads as `MAJOR.MINOR`.
fn read_version(headers: &hyper::HeaderMap) -> Pinged {
    headers
        .get("api-version")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| {
            v.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
            })
        })
        .map_or(Pinged::NoVersion, |v| Pinged::Version(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_addresses_drop_scheme_and_path() {
        assert_eq!(
            plain_tcp_address("tcp://127.0.0.1:2375"),
            Some("127.0.0.1:2375")
        );
        assert_eq!(
            plain_tcp_address("http://docker:2375/"),
            Some("docker:2375")
        );
        assert_eq!(plain_tcp_address("ssh://me@host"), None);
        assert_eq!(plain_tcp_address("tcp://"), None);
    }

    #[test]
    fn only_a_well_formed_version_is_taken() {
        let mut headers = hyper::HeaderMap::new();
        assert_eq!(read_version(&headers), Pinged::NoVersion);
        headers.insert("Api-Version", "1.51".parse().unwrap());
        assert_eq!(read_version(&headers), Pinged::Version("1.51".into()));
        headers.insert("Api-Version", "1.x; evil".parse().unwrap());
        assert_eq!(read_version(&headers), Pinged::NoVersion);
    }
}
