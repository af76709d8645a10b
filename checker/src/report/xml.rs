//! The few XML pieces the JUnit report needs, written so that whatever text reaches
//! them (a container's log full of terminal escapes, a NUL byte from an HTTP body) the
//! document stays well-formed XML 1.0.
//!
//! XML 1.0 forbids most C0 control characters even as character references, so
//! escaping alone is not enough: [`text`] removes what the `Char` production excludes
//! (and the escape sequences those characters introduce), then escapes markup.

/// `text` made safe as XML character data or an attribute value.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // An ANSI escape sequence: ESC [ params final-byte, or ESC and one char.
            '\u{1b}' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    while let Some(&next) = chars.peek() {
                        chars.next();
                        if ('\u{40}'..='\u{7e}').contains(&next) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as references so that attribute values keep their line breaks.
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Character data of an element (line breaks kept as they are, for readability).
pub fn body(value: &str) -> String {
    text(value).replace("&#10;", "\n")
}

/// The `Char` production of XML 1.0, minus the discouraged C1 controls and the
/// non-characters U+FFFE/U+FFFF.
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || ('\u{10000}'..='\u{10ffff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_and_escapes_go() {
        assert_eq!(
            text("\u{1b}[31mrouge\u{1b}[0m <b> & \"x\" \u{0}\u{7}\u{8}\u{ffff}\u{85}fin"),
            "rouge &lt;b&gt; &amp; &quot;x&quot; fin"
        );
        assert_eq!(text("a\nb\tc"), "a&#10;b&#9;c");
        assert_eq!(body("a\nb"), "a\nb");
        assert_eq!(text("é — ✔ 😀"), "é — ✔ 😀");
    }
}
