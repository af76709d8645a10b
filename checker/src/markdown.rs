//! Markdown from exercise files (objectives, steps, hints), for the terminal and the book.

use colored::Colorize;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// HTML for the book's cards, with the typography of the rest of the book (the cards
/// are raw HTML to mdBook, so its smart punctuation does not reach them).
pub fn to_html(markdown: &str) -> String {
    let mut out = String::new();
    let options = options() | Options::ENABLE_SMART_PUNCTUATION;
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// HTML without the enclosing `<p>` of a one-paragraph text (titles, list items).
pub fn to_inline_html(markdown: &str) -> String {
    let html = to_html(markdown);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Plain text for a terminal: code spans stay visible (coloured when colour is on),
/// emphasis markers and links are dropped, code blocks are indented.
pub fn to_terminal(markdown: &str) -> String {
    let mut out = String::new();
    let mut list_depth: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(text) => out.push_str(&text),
            Event::Code(code) => out.push_str(&code.cyan().to_string()),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::CodeBlock(kind)) => {
                if !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                let _ = kind == CodeBlockKind::Indented;
            }
            Event::End(TagEnd::CodeBlock) => {}
            Event::Start(Tag::List(start)) => list_depth.push(start),
            Event::End(TagEnd::List(_)) => {
                list_depth.pop();
            }
            Event::Start(Tag::Item) => {
                if !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                match list_depth.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::End(TagEnd::Paragraph) => out.push('\n'),
            _ => {}
        }
    }
    // Code block lines are text events with embedded newlines: keep them, trim the end.
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_keeps_code_and_drops_markup() {
        colored::control::set_override(false);
        let text = to_terminal("Lancez **vite** `docker ps -a`.\n\n- un\n- deux");
        assert_eq!(text, "Lancez vite docker ps -a.\n• un\n• deux");
    }

    #[test]
    fn inline_html_has_no_paragraph() {
        assert_eq!(
            to_inline_html("Le port `8080`"),
            "Le port <code>8080</code>"
        );
    }
}
