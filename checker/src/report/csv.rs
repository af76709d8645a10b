//! CSV for spreadsheets (RFC 4180: comma separator, `"` quoting, decimal points), the
//! one-student form of the class table.

use super::Run;
use super::class::{Class, Student};

/// A run as a class of one.
pub fn render(run: &Run) -> String {
    Class {
        students: vec![Student {
            id: run.student_or(""),
            run: run.clone(),
            missing: None,
        }],
    }
    .csv()
}

/// One CSV line. A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`) is
/// prefixed with `'`: student ids and remarks come from outside.
pub fn row(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|cell| {
            let cell: String = cell
                .chars()
                .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
                .collect();
            let cell = if cell.starts_with(['=', '+', '@'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err())
            {
                format!("'{cell}")
            } else {
                cell
            };
            if cell.contains([',', '"', '\n']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::row;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let cells = ["a,b", "dit \"x\"", "=1+1", "-3", "-x", "ok"].map(String::from);
        assert_eq!(row(&cells), "\"a,b\",\"dit \"\"x\"\"\",'=1+1,-3,'-x,ok\r\n");
    }
}
