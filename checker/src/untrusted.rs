//! Text from the student's host (container logs, HTTP bodies, exec output, file
//! contents, registry answers) is shown, never obeyed.
//!
//! A container can print an escape sequence that clears the screen or draws a fake
//! « ✔ Bravo », and characters XML 1.0 forbids make a JUnit report unreadable. Every
//! verdict passes through [`neutralise`] before any report sees it: control characters
//! (C0 but newline and tab, DEL, C1) and the bidirectional overrides that can reorder
//! what a teacher reads are replaced by a visible escape such as `\x1b`.

/// `text` with every character a terminal or an XML parser would act on made visible.
pub fn neutralise(text: &str) -> String {
    if !text.chars().any(is_active) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_active(c) {
            let code = u32::from(c);
            if code <= 0xff {
                out.push_str(&format!("\\x{code:02x}"));
            } else {
                out.push_str(&format!("\\u{{{code:04x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// [`neutralise`] for an optional text.
pub fn neutralise_opt(text: Option<String>) -> Option<String> {
    text.map(|t| neutralise(&t))
}

fn is_active(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides and isolates (the "Trojan Source" set).
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        // Not characters at all for XML.
        '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(neutralise("\u{1b}[2J✔ Bravo"), "\\x1b[2J✔ Bravo");
        assert_eq!(neutralise("a\u{0}b\u{7}c"), "a\\x00b\\x07c");
        assert_eq!(neutralise("ligne 1\nligne 2\tfin"), "ligne 1\nligne 2\tfin");
        assert_eq!(neutralise("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(neutralise("été « ok »"), "été « ok »");
    }
}
