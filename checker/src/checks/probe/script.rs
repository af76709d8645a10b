//! What the probe's helper runs, and how its output is read back.
//!
//! The helper is a BusyBox shell: one script, the values as its arguments (never
//! spliced into it), and output in `@@` sections that [`parse_report`] reads.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::{Plan, RUN_LIMIT, Report};
use crate::checks::Context;
use crate::docker::{helper, own_traffic};

/// The script the helper runs. Values arrive as arguments, never inside the script.
const SCRIPT: &str = r#"name="$1"; host="$2"; port="$3"; request="$4"
for tool in nslookup nc; do
  command -v "$tool" >/dev/null 2>&1 || { echo "@@missing $tool"; exit 0; }
done
bounded() { if command -v timeout >/dev/null 2>&1; then timeout 5 "$@"; else "$@"; fi; }
if [ -n "$name" ]; then
  echo "@@resolve"
  bounded nslookup "$name" 2>&1
  echo "@@resolve-end"
fi
if [ -n "$host" ]; then
  echo "@@connect"
  if [ -n "$request" ]; then
    printf '%s' "$request" | bounded nc -w 3 "$host" "$port" 2>&1
  else
    # No `-z`: not every BusyBox has it; an empty input closes the connection.
    bounded nc -w 3 "$host" "$port" 2>&1 </dev/null
  fi
  rc=$?
  echo
  echo "@@connect-end $rc"
fi
"#;

/// Runs the probe's helper on the network and reads what it reported.
pub(super) async fn run(ctx: &Context, plan: &Plan) -> Result<Report, String> {
    let request = match (&plan.host, plan.http) {
        (Some(host), true) => format!(
            "GET {} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: {}\r\nAccept: */*\r\n\
             Connection: close\r\n\r\n",
            plan.path,
            own_traffic::USER_AGENT
        ),
        _ => String::new(),
    };
    let command = vec![
        "sh".to_string(),
        "-c".to_string(),
        SCRIPT.to_string(),
        "checker-probe".to_string(),
        plan.name.clone().unwrap_or_default(),
        plan.host.clone().unwrap_or_default(),
        plan.port.to_string(),
        request,
    ];
    let ran =
        helper::run_on_network(&ctx.docker, &plan.image, &plan.network, command, RUN_LIMIT).await?;
    Ok(parse_report(&ran.output))
}

/// Reads the helper's output, section by section (see [`SCRIPT`]).
fn parse_report(output: &str) -> Report {
    let mut report = Report::default();
    if let Some(line) = output.lines().find(|l| l.starts_with("@@missing ")) {
        report.missing = Some(line.trim_start_matches("@@missing ").trim().to_string());
        return report;
    }
    if let Some(text) = section(output, "@@resolve\n", "@@resolve-end") {
        let addresses = resolved_addresses(text);
        if addresses.is_empty() {
            report.resolve_error = resolver_complaint(text);
        }
        report.resolved = Some(addresses);
    }
    if let Some(start) = output.find("@@connect\n") {
        let rest = &output[start + "@@connect\n".len()..];
        let (body, code) = match rest.rfind("\n@@connect-end ") {
            Some(end) => (
                &rest[..end],
                rest[end + "\n@@connect-end ".len()..].trim().parse::<i32>().ok(),
            ),
            None => (rest, None),
        };
        report.connected = Some((code == Some(0), body.to_string()));
    }
    report
}

fn section<'a>(output: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = output.find(start)? + start.len();
    let to = output[from..].find(end).map_or(output.len(), |i| from + i);
    Some(&output[from..to])
}

/// The addresses in `nslookup`'s answer: the `Address` lines after the first `Name:`
/// (before it, they name the DNS server). Both BusyBox formats are read:
/// `Address: 172.18.0.2` and `Address 1: 172.18.0.2 serveur-web`.
fn resolved_addresses(text: &str) -> Vec<IpAddr> {
    let mut out = BTreeSet::new();
    let mut answer = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("Name:") {
            answer = true;
            continue;
        }
        if !answer || !line.starts_with("Address") {
            continue;
        }
        let Some((_, rest)) = line.split_once(':') else {
            continue;
        };
        if let Some(ip) = rest.split_whitespace().next().and_then(|w| w.parse().ok()) {
            out.insert(ip);
        }
    }
    out.into_iter().collect()
}

/// The resolver's reason, when it found nothing (`server can't find nginx2: NXDOMAIN`).
fn resolver_complaint(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| {
            l.contains("can't find")
                || l.contains("NXDOMAIN")
                || l.contains("timed out")
                || l.contains("no servers")
        })
        .unwrap_or_default()
        .trim_start_matches("** ")
        .to_string()
}

/// Status code and body of a raw HTTP/1.x response.
pub(super) fn parse_http(raw: &str) -> Option<(u16, String)> {
    let start = raw.find("HTTP/")?;
    let raw = &raw[start..];
    let code = raw.split_whitespace().nth(1)?.parse().ok()?;
    let body = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((code, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_busybox_nslookup_formats_are_read() {
        let new = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\n\
                   Name:\tserveur-web\nAddress: 172.18.0.2\n\n";
        assert_eq!(
            resolved_addresses(new),
            vec!["172.18.0.2".parse::<IpAddr>().expect("ip")]
        );
        let old = "Server:    127.0.0.11\nAddress 1: 127.0.0.11\n\nName:      serveur-web\n\
                   Address 1: 172.18.0.2 serveur-web.mon-app-reseau\n";
        assert_eq!(
            resolved_addresses(old),
            vec!["172.18.0.2".parse::<IpAddr>().expect("ip")]
        );
        let none = "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53:53\n\n** server can't find nginx2: NXDOMAIN\n";
        assert!(resolved_addresses(none).is_empty());
        assert_eq!(resolver_complaint(none), "server can't find nginx2: NXDOMAIN");
    }

    #[test]
    fn reports_are_read_by_section() {
        let out = "@@resolve\nName: web\nAddress: 10.1.0.2\n@@resolve-end\n@@connect\n\
                   HTTP/1.1 200 OK\r\nServer: x\r\n\r\n<h1>It works!</h1>\n\n@@connect-end 0\n";
        let report = parse_report(out);
        assert_eq!(
            report.resolved,
            Some(vec!["10.1.0.2".parse::<IpAddr>().expect("ip")])
        );
        let (ok, body) = report.connected.expect("connected");
        assert!(ok);
        let (code, page) = parse_http(&body).expect("http");
        assert_eq!(code, 200);
        assert!(page.contains("It works!"));
        let refused = parse_report("@@connect\nnc: bad address 'x'\n\n@@connect-end 1\n");
        assert_eq!(refused.connected.map(|c| c.0), Some(false));
        assert_eq!(
            parse_report("@@missing nc\n").missing.as_deref(),
            Some("nc")
        );
    }
}
