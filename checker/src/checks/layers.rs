//! Which layer of an image an instruction made, read from the image's history.
//!
//! `RootFS.Layers` lists an image's layers and `docker history` its instructions, but
//! the engine does not say which instruction made which layer: metadata instructions
//! (`ENV`, `USER`, `CMD`…) make none, and a `WORKDIR` that creates an empty folder makes
//! a layer of size 0. The history's sizes settle most of it: an instruction with a size
//! made a layer, a metadata one did not. When the zero-size instructions that could
//! have made one (`WORKDIR`, a `RUN` that changed nothing) are all layers or all not,
//! the counts say so; otherwise the mapping is unknown and the check says it cannot
//! conclude rather than guess.

use bollard::models::ImageHistoryResponseItem;
use regex::Regex;

/// Instructions that only change the image's configuration, never its files.
const METADATA: &[&str] = &[
    "ENV",
    "LABEL",
    "EXPOSE",
    "USER",
    "CMD",
    "ENTRYPOINT",
    "HEALTHCHECK",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "SHELL",
    "VOLUME",
    "MAINTAINER",
];

/// The instruction's keyword as the legacy builder (`/bin/sh -c #(nop)  ENV …`) and
/// BuildKit (`ENV …`) write it.
fn keyword(created_by: &str) -> String {
    let text = created_by.trim();
    let text = text
        .strip_prefix("/bin/sh -c #(nop)")
        .map(str::trim_start)
        .unwrap_or(text);
    text.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
}

/// For each history entry, oldest first, the index of the layer it made (`None`: no
/// layer). `history` is as the engine returns it (newest first); `layers` is the number
/// of layers in `RootFS.Layers`.
pub fn layer_of_each(
    history: &[ImageHistoryResponseItem],
    layers: usize,
) -> Result<Vec<(String, Option<usize>)>, String> {
    let entries: Vec<&ImageHistoryResponseItem> = history.iter().rev().collect();
    let certain = entries.iter().filter(|h| h.size > 0).count();
    let maybe = entries
        .iter()
        .filter(|h| h.size == 0 && !METADATA.contains(&keyword(&h.created_by).as_str()))
        .count();
    let with_maybe = if certain == layers {
        false
    } else if certain + maybe == layers {
        true
    } else {
        return Err(format!(
            "l'historique de l'image ({} instructions) ne permet pas de dire quelle instruction a \
             fait chacune de ses {layers} couches",
            entries.len()
        ));
    };
    let mut next = 0;
    Ok(entries
        .iter()
        .map(|h| {
            let is_layer =
                h.size > 0 || (with_maybe && !METADATA.contains(&keyword(&h.created_by).as_str()));
            let index = is_layer.then(|| {
                next += 1;
                next - 1
            });
            (h.created_by.clone(), index)
        })
        .collect())
}

/// The layer made by the last instruction matching `pattern` that made one, with that
/// instruction's text.
pub fn last_layer_matching(
    history: &[ImageHistoryResponseItem],
    layers: usize,
    pattern: &Regex,
) -> Result<Option<(usize, String)>, String> {
    Ok(layer_of_each(history, layers)?
        .into_iter()
        .filter_map(|(created_by, index)| index.map(|i| (i, created_by)))
        .rfind(|(_, created_by)| pattern.is_match(created_by)))
}

/// How many layers two images share from the bottom, in order.
pub fn common_prefix(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// An instruction as shown in a verdict: one line, without BuildKit's trailer.
pub fn shown_instruction(created_by: &str) -> String {
    let text = created_by.trim().trim_end_matches("# buildkit").trim();
    let text = text
        .strip_prefix("/bin/sh -c #(nop)")
        .map(str::trim_start)
        .unwrap_or(text);
    super::common::excerpt(text, 90)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(created_by: &str, size: i64) -> ImageHistoryResponseItem {
        ImageHistoryResponseItem {
            created_by: created_by.to_string(),
            size,
            ..Default::default()
        }
    }

    /// Newest first, as the engine answers.
    fn history() -> Vec<ImageHistoryResponseItem> {
        vec![
            entry("CMD [\"node\" \"server.js\"]", 0),
            entry("COPY /app/src ./src # buildkit", 900),
            entry("COPY /app/node_modules ./node_modules # buildkit", 4000),
            entry("USER 1001:1001", 0),
            entry("WORKDIR /app", 0),
            entry(
                "RUN /bin/sh -c apk add --no-cache dumb-init # buildkit",
                300,
            ),
            entry("/bin/sh -c #(nop)  ENV NODE_VERSION=24", 0),
            entry("/bin/sh -c #(nop) ADD file:abc in / ", 8000),
        ]
    }

    #[test]
    fn a_zero_size_workdir_is_a_layer_when_the_counts_say_so() {
        let pattern = Regex::new("node_modules").expect("regex");
        // Five layers: ADD, RUN, WORKDIR, node_modules, src.
        let found = last_layer_matching(&history(), 5, &pattern).expect("mapped");
        assert_eq!(found.map(|(i, _)| i), Some(3));
        // Four layers: the WORKDIR made none.
        let found = last_layer_matching(&history(), 4, &pattern).expect("mapped");
        assert_eq!(found.map(|(i, _)| i), Some(2));
        // Counts that fit no reading: no guess.
        assert!(last_layer_matching(&history(), 7, &pattern).is_err());
    }

    #[test]
    fn prefixes_and_instructions() {
        let a = vec!["x".to_string(), "y".to_string(), "z".to_string()];
        let b = vec!["x".to_string(), "y".to_string(), "w".to_string()];
        assert_eq!(common_prefix(&a, &b), 2);
        assert_eq!(
            shown_instruction("COPY package*.json ./ # buildkit"),
            "COPY package*.json ./"
        );
        assert_eq!(keyword("/bin/sh -c #(nop)  ENV A=b"), "ENV");
    }
}
