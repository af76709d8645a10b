//! Quantities written the human way in exercise files, and their serde readers (the
//! only ones in the crate): durations (`5s`, `500ms`, `1m 30s`) and sizes written the
//! Docker way (`512m`, `1.5g`, `150MB`, `10MiB`).
//!
//! Docker's own flags (`--memory 512m`) count in powers of 1024; image sizes are shown in
//! powers of 1000 (`docker images`). Both are accepted: a bare letter or `iB` means
//! 1024-based, `kB`/`MB`/`GB` means 1000-based.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// serde reader for a duration written the human way (`deserialize_with = "units::duration"`).
pub fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(&text).map_err(|e| {
        serde::de::Error::custom(format!(
            "durée invalide « {text} » ({e}) : écrivez par exemple `5s` ou `500ms`"
        ))
    })
}

/// serde reader for an optional duration (`timeout: 2s`, or absent).
pub fn optional_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "duration")] Duration);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
}

/// Parses a size into bytes, or says (in French) what is wrong.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let value: f64 = number.parse().map_err(|_| {
        format!("taille invalide « {text} » : écrivez par exemple `512m` ou `150MB`")
    })?;
    let factor: f64 = match unit.trim() {
        "" | "b" | "B" => 1.0,
        "k" | "K" | "KiB" | "kiB" => 1024.0,
        "m" | "M" | "MiB" => 1024.0 * 1024.0,
        "g" | "G" | "GiB" => 1024.0 * 1024.0 * 1024.0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        other => {
            return Err(format!(
                "unité de taille inconnue « {other} » dans « {text} » (b, k, m, g, kB, MB, GB, KiB, MiB, GiB)"
            ));
        }
    };
    Ok((value * factor).round() as u64)
}

/// A byte count for people: `12,3 Mo`.
pub fn human_size(bytes: u64) -> String {
    let units = ["o", "ko", "Mo", "Go"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} o")
    } else {
        format!("{:.1} {}", value, units[unit]).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_and_si_units() {
        assert_eq!(parse_size("512m"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_size("1.5g"), Ok(1536 * 1024 * 1024));
        assert_eq!(parse_size("150MB"), Ok(150_000_000));
        assert_eq!(parse_size("10MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("42"), Ok(42));
        assert!(parse_size("dix").is_err());
        assert!(parse_size("10 parsecs").is_err());
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(999), "999 o");
        assert_eq!(human_size(12_300_000), "12,3 Mo");
    }
}
