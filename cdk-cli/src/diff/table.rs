//! A minimal box-drawing table with multi-line cells (for the IAM and security group tables).

use std::io::{self, Write};

use anstyle::Style;

/// One table row: its cells and the style of the whole row.
pub struct Row {
    /// The cells; a cell may contain newlines.
    pub cells: Vec<String>,
    /// The style applied to the row's text.
    pub style: Style,
}

/// Writes a table with a header row and the given rows. As cdk's tables, consecutive rows with
/// the same second cell (the resource or group) share one block, without a rule between them.
pub fn write_table(w: &mut dyn Write, header: &[&str], rows: &[Row]) -> io::Result<()> {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate().take(columns) {
            for line in cell.lines() {
                widths[i] = widths[i].max(width(line));
            }
        }
    }
    let rule = |l: &str, m: &str, r: &str| {
        let segs: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{l}{}{r}", segs.join(m))
    };
    writeln!(w, "{}", rule("┌", "┬", "┐"))?;
    write_row(
        w,
        &widths,
        &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        Style::new(),
    )?;
    let mut previous: Option<&Row> = None;
    for row in rows {
        if previous.is_none_or(|p| p.cells.get(1) != row.cells.get(1)) {
            writeln!(w, "{}", rule("├", "┼", "┤"))?;
        }
        write_row(w, &widths, &row.cells, row.style)?;
        previous = Some(row);
    }
    writeln!(w, "{}", rule("└", "┴", "┘"))
}

fn write_row(
    w: &mut dyn Write,
    widths: &[usize],
    cells: &[String],
    style: Style,
) -> io::Result<()> {
    let lines: Vec<Vec<&str>> = widths
        .iter()
        .enumerate()
        .map(|(i, _)| {
            cells
                .get(i)
                .map(|c| c.lines().collect())
                .unwrap_or_default()
        })
        .collect();
    let height = lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for n in 0..height {
        write!(w, "│")?;
        for (i, col) in widths.iter().enumerate() {
            let text = lines[i].get(n).copied().unwrap_or("");
            let pad = col.saturating_sub(width(text));
            write!(w, " {style}{text}{style:#}{} │", " ".repeat(pad))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

fn width(s: &str) -> usize {
    s.chars().count()
}
