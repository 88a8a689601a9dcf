//! The shape of GetQueryResults' rows, which differs by statement:
//!
//! - a SELECT's first page starts with a row of column names — but only a
//!   SELECT's, and only its first page (drivers such as PyAthena drop it
//!   only when it equals the names; SHOW PARTITIONS has no header, and
//!   dropping its first row would lose a partition);
//! - DESCRIBE and other UTILITY results list several columns in their
//!   metadata but send each line as one tab-separated value.

use super::{Cell, Column, Execution};

/// Whether the first row of the first page is a header to drop.
pub fn first_row_is_header(
    e: &Execution,
    columns: &[Column],
    labels: &[String],
    first: &[Cell],
) -> bool {
    if !e.is_select() || first.len() != columns.len() || columns.is_empty() {
        return false;
    }
    let same_as = |names: &mut dyn Iterator<Item = &str>| {
        first
            .iter()
            .zip(names)
            .all(|(cell, name)| cell.as_deref() == Some(name))
    };
    same_as(&mut columns.iter().map(|c| c.name.as_str()))
        || (labels.len() == columns.len() && same_as(&mut labels.iter().map(String::as_str)))
}

/// A UTILITY row sent as one tab-joined value is split into the columns
/// the metadata names (trimmed, as Athena pads them).
pub fn split_utility_row(row: Vec<Cell>, columns: usize) -> Vec<Cell> {
    match row.as_slice() {
        [Some(line)] if columns > 1 && line.contains('\t') => line
            .split('\t')
            .map(|v| Some(v.trim().to_string()))
            .collect(),
        _ => row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<Column> {
        names
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                kind: "varchar".into(),
            })
            .collect()
    }

    fn exec(statement: &str, sub: Option<&str>) -> Execution {
        Execution {
            statement_type: Some(statement.into()),
            substatement_type: sub.map(str::to_string),
            ..Default::default()
        }
    }

    fn row(values: &[&str]) -> Vec<Cell> {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn a_select_s_header_is_dropped_only_when_it_names_the_columns() {
        let c = cols(&["region", "total"]);
        let select = exec("DML", Some("SELECT"));
        assert!(first_row_is_header(
            &select,
            &c,
            &[],
            &row(&["region", "total"])
        ));
        // A first row that happens to differ is data.
        assert!(!first_row_is_header(
            &select,
            &c,
            &[],
            &row(&["North", "12"])
        ));
        // No SubstatementType (older API, emulators): a DML's header still counts.
        assert!(first_row_is_header(
            &exec("DML", None),
            &c,
            &[],
            &row(&["region", "total"])
        ));
        let labels = vec!["Region".to_string(), "Total".to_string()];
        assert!(first_row_is_header(
            &select,
            &c,
            &labels,
            &row(&["Region", "Total"])
        ));
    }

    #[test]
    fn show_partitions_and_other_statements_keep_their_first_row() {
        let c = cols(&["partition"]);
        // SHOW PARTITIONS is UTILITY: its first row is a partition, even one
        // that reads like the column's name.
        assert!(!first_row_is_header(
            &exec("UTILITY", None),
            &c,
            &[],
            &row(&["partition"])
        ));
        assert!(!first_row_is_header(
            &exec("DDL", None),
            &c,
            &[],
            &row(&["partition"])
        ));
        let insert = exec("DML", Some("INSERT"));
        assert!(!first_row_is_header(
            &insert,
            &cols(&["rows"]),
            &[],
            &row(&["rows"])
        ));
    }

    #[test]
    fn a_describe_line_is_split_into_its_columns() {
        let line = vec![Some(
            "order_id            \tbigint              \t".to_string(),
        )];
        assert_eq!(split_utility_row(line, 3), row(&["order_id", "bigint", ""]));
        assert_eq!(
            split_utility_row(row(&["dt=2026-11-30"]), 1),
            row(&["dt=2026-11-30"])
        );
        assert_eq!(split_utility_row(vec![None], 3), vec![None]);
    }
}
