//! `checker schema`: the JSON Schema of the exercise format, for editors.

use super::EXIT_OK;

pub fn run() -> u8 {
    say!("{}", crate::catalog::json_schema());
    EXIT_OK
}
