//! What a query reads, for the guardrails before a run: each table it
//! names and the columns its WHERE (and JOIN … ON) compare, so a read of a
//! partitioned table with no predicate on any partition key can be asked
//! about first. Parsed with `sqlparser` (ANSI / Trino-like SQL); what it
//! cannot parse is said, never guessed.

use super::TableMeta;
use sqlparser::ast::{
    visit_expressions, visit_expressions_mut, Expr, ObjectName, Query, Select, SetExpr, Statement,
    TableFactor, TableWithJoins, Value,
};
use sqlparser::dialect::{GenericDialect, HiveDialect};
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

/// A table a query reads, as written (`t`, `db.t`, `catalog.db.t`), and
/// the column names (lower case) compared where it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRead {
    pub parts: Vec<String>,
    pub filtered: BTreeSet<String>,
}

impl TableRead {
    /// (catalog, database, table), with the query's defaults for what the
    /// name leaves out; `None` without a database to read it from.
    pub fn resolve(
        &self,
        catalog: &str,
        database: Option<&str>,
    ) -> Option<(String, String, String)> {
        let lower = |s: &String| s.to_ascii_lowercase();
        match self.parts.as_slice() {
            [t] => Some((catalog.into(), database?.to_ascii_lowercase(), lower(t))),
            [d, t] => Some((catalog.into(), lower(d), lower(t))),
            [c, d, t] => Some((c.clone(), lower(d), lower(t))),
            _ => None,
        }
    }

    /// True when `meta` is partitioned and no partition key is compared.
    pub fn scans_every_partition(&self, meta: &TableMeta) -> bool {
        !meta.partition_keys.is_empty()
            && !meta
                .partition_keys
                .iter()
                .any(|k| self.filtered.contains(&k.name.to_ascii_lowercase()))
    }
}

/// The tables `sql` reads (not the ones it creates or writes), or why it
/// could not be read.
pub fn reads(sql: &str) -> Result<Vec<TableRead>, String> {
    let statements = Parser::parse_sql(&GenericDialect {}, sql)
        // Hive's backticks and DDL, which Athena also takes.
        .or_else(|first| Parser::parse_sql(&HiveDialect {}, sql).map_err(|_| first))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for s in &statements {
        let none = (Ctes::new(), Filters::new());
        match s {
            Statement::Query(q) => query(q, &none.0, &none.1, &mut out),
            Statement::Insert(i) => {
                if let Some(q) = &i.source {
                    query(q, &none.0, &none.1, &mut out);
                }
            }
            Statement::CreateTable(c) => {
                if let Some(q) = &c.query {
                    query(q, &none.0, &none.1, &mut out);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Columns compared in a WHERE or ON: (table or alias it is qualified
/// with, column), lower case.
type Filters = BTreeSet<(Option<String>, String)>;
/// The WITH clauses in scope: name → its query (read where referenced).
type Ctes = BTreeMap<String, Query>;

fn query(q: &Query, ctes: &Ctes, inherited: &Filters, out: &mut Vec<TableRead>) {
    let mut ctes = ctes.clone();
    if let Some(with) = &q.with {
        for cte in &with.cte_tables {
            ctes.insert(
                cte.alias.name.value.to_ascii_lowercase(),
                (*cte.query).clone(),
            );
        }
    }
    set_expr(&q.body, &ctes, inherited, out);
}

fn set_expr(s: &SetExpr, ctes: &Ctes, inherited: &Filters, out: &mut Vec<TableRead>) {
    match s {
        SetExpr::Select(sel) => select(sel, ctes, inherited, out),
        SetExpr::Query(q) => query(q, ctes, inherited, out),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr(left, ctes, inherited, out);
            set_expr(right, ctes, inherited, out);
        }
        _ => {}
    }
}

fn select(sel: &Select, ctes: &Ctes, inherited: &Filters, out: &mut Vec<TableRead>) {
    let mut filters = inherited.clone();
    let mut subqueries: Vec<Query> = Vec::new();
    if let Some(w) = &sel.selection {
        compared(w, &mut filters, &mut subqueries);
    }
    for twj in &sel.from {
        for j in &twj.joins {
            // Pre-order: the first expression met is the whole ON condition.
            let _ = visit_expressions(&j.join_operator, |on: &Expr| {
                compared(on, &mut filters, &mut Vec::new());
                ControlFlow::<()>::Break(())
            });
        }
    }
    for twj in &sel.from {
        table_with_joins(twj, &filters, ctes, out);
    }
    for q in &subqueries {
        query(q, ctes, &Filters::new(), out);
    }
}

/// The columns `e` compares, not counting those inside its subqueries
/// (they filter other tables); the subqueries themselves into `found`.
fn compared(e: &Expr, filters: &mut Filters, found: &mut Vec<Query>) {
    let mut e = e.clone();
    // Post-order: the innermost subqueries go first, each replaced by NULL.
    let _ = visit_expressions_mut(&mut e, |x: &mut Expr| {
        let sub = match x {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => Some((**q).clone()),
            Expr::InSubquery { subquery, .. } => Some((**subquery).clone()),
            _ => None,
        };
        if let Some(q) = sub {
            found.push(q);
            *x = Expr::value(Value::Null);
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions(&e, |x: &Expr| {
        match x {
            Expr::Identifier(i) => {
                filters.insert((None, i.value.to_ascii_lowercase()));
            }
            Expr::CompoundIdentifier(parts) => {
                if let [.., q, c] = parts.as_slice() {
                    filters.insert((
                        Some(q.value.to_ascii_lowercase()),
                        c.value.to_ascii_lowercase(),
                    ));
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn table_with_joins(
    twj: &TableWithJoins,
    filters: &Filters,
    ctes: &Ctes,
    out: &mut Vec<TableRead>,
) {
    factor(&twj.relation, filters, ctes, out);
    for j in &twj.joins {
        factor(&j.relation, filters, ctes, out);
    }
}

/// The columns compared for the table known as `names` (its alias, its
/// name): unqualified ones, and those qualified with one of the names.
fn for_table(filters: &Filters, names: &[String]) -> BTreeSet<String> {
    filters
        .iter()
        .filter(|(q, _)| q.as_ref().is_none_or(|q| names.contains(q)))
        .map(|(_, c)| c.clone())
        .collect()
}

/// A table's columns as filters on whatever reads it (a CTE's or derived
/// table's own tables: Athena pushes the predicate down).
fn handed_down(columns: BTreeSet<String>) -> Filters {
    columns.into_iter().map(|c| (None, c)).collect()
}

fn factor(f: &TableFactor, filters: &Filters, ctes: &Ctes, out: &mut Vec<TableRead>) {
    match f {
        TableFactor::Table {
            name, args, alias, ..
        } if args.is_none() => {
            let parts = name_parts(name);
            let Some(last) = parts.last().map(|p| p.to_ascii_lowercase()) else {
                return;
            };
            let mut names = vec![last.clone()];
            names.extend(alias.as_ref().map(|a| a.name.value.to_ascii_lowercase()));
            let columns = for_table(filters, &names);
            match ctes.get(&last).filter(|_| parts.len() == 1) {
                Some(cte) => {
                    // Read where referenced; not inside itself (WITH RECURSIVE).
                    let mut inner = ctes.clone();
                    inner.remove(&last);
                    query(cte, &inner, &handed_down(columns), out);
                }
                None => out.push(TableRead {
                    parts,
                    filtered: columns,
                }),
            }
        }
        TableFactor::Derived {
            subquery, alias, ..
        } => {
            let names: Vec<String> = alias
                .iter()
                .map(|a| a.name.value.to_ascii_lowercase())
                .collect();
            query(
                subquery,
                ctes,
                &handed_down(for_table(filters, &names)),
                out,
            )
        }
        TableFactor::NestedJoin {
            table_with_joins: twj,
            ..
        } => table_with_joins(twj, filters, ctes, out),
        _ => {}
    }
}

fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::athena::Column;

    fn orders() -> TableMeta {
        TableMeta {
            name: "orders".into(),
            partition_keys: vec![Column {
                name: "dt".into(),
                kind: "string".into(),
            }],
            ..TableMeta::default()
        }
    }

    fn only(sql: &str) -> TableRead {
        let r = reads(sql).unwrap();
        assert_eq!(r.len(), 1, "{sql}: {r:?}");
        r.into_iter().next().unwrap()
    }

    #[test]
    fn a_predicate_on_a_partition_key_is_seen_where_it_is() {
        assert!(only("SELECT * FROM silver_db.orders").scans_every_partition(&orders()));
        assert!(!only("SELECT * FROM orders o WHERE o.dt = '2026-11-30'")
            .scans_every_partition(&orders()));
        assert!(!only(
            r#"SELECT * FROM "silver_db"."orders" WHERE "DT" >= '2026-11-01' AND x = 1"#
        )
        .scans_every_partition(&orders()));
        assert!(
            only("SELECT * FROM orders WHERE status = 'FAILED'").scans_every_partition(&orders())
        );
        // An unpartitioned table is never a warning.
        assert!(!only("SELECT * FROM t").scans_every_partition(&TableMeta::default()));
    }

    #[test]
    fn joins_subqueries_ctes_and_ctas_are_followed() {
        let r = reads(
            "WITH recent AS (SELECT * FROM db.orders WHERE dt = '1') \
             SELECT * FROM recent JOIN db.customers c ON c.id = recent.cid \
             WHERE c.id IN (SELECT id FROM db.vip)",
        )
        .unwrap();
        let names: Vec<String> = r.iter().map(|t| t.parts.join(".")).collect();
        assert_eq!(names, ["db.orders", "db.customers", "db.vip"]);
        assert!(r[0].filtered.contains("dt"));
        let ctas = reads("CREATE TABLE x AS SELECT * FROM db.orders").unwrap();
        assert_eq!(ctas[0].parts, ["db", "orders"]);
        assert!(reads("SHOW TABLES").unwrap().is_empty());
    }

    #[test]
    fn names_resolve_against_the_query_context() {
        let t = only("SELECT 1 FROM Orders");
        assert_eq!(
            t.resolve("AwsDataCatalog", Some("silver_db")),
            Some(("AwsDataCatalog".into(), "silver_db".into(), "orders".into()))
        );
        assert_eq!(t.resolve("AwsDataCatalog", None), None);
        let t = only("SELECT 1 FROM other.db.t");
        assert_eq!(t.resolve("AwsDataCatalog", None).unwrap().0, "other");
    }

    #[test]
    fn a_predicate_belongs_to_its_own_table_not_to_a_subquerys_or_a_joined_ones() {
        // dt filters vip (inside the subquery), not orders.
        let r = reads("SELECT * FROM db.orders WHERE id IN (SELECT id FROM db.vip WHERE dt = '1')")
            .unwrap();
        assert_eq!(r[0].parts, ["db", "orders"]);
        assert!(r[0].scans_every_partition(&orders_on("dt")));
        assert!(!r[1].scans_every_partition(&orders_on("dt")));
        // o.dt filters orders (alias o), not returns.
        let r =
            reads("SELECT * FROM db.orders o JOIN db.returns r ON r.id = o.id WHERE o.dt = '1'")
                .unwrap();
        assert!(!r[0].scans_every_partition(&orders_on("dt")));
        assert!(r[1].scans_every_partition(&orders_on("dt")));
    }

    #[test]
    fn an_outer_filter_reaches_the_tables_under_a_cte_or_derived_table() {
        for sql in [
            "WITH x AS (SELECT * FROM db.orders) SELECT * FROM x WHERE dt = '1'",
            "SELECT * FROM (SELECT * FROM db.orders) t WHERE t.dt = '1'",
        ] {
            let r = reads(sql).unwrap();
            assert_eq!(r.len(), 1, "{sql}");
            assert!(!r[0].scans_every_partition(&orders_on("dt")), "{sql}");
        }
        // A CTE that names itself is read once, not forever.
        assert_eq!(
            reads("WITH x AS (SELECT * FROM x) SELECT * FROM x")
                .unwrap()
                .len(),
            1
        );
    }

    fn orders_on(key: &str) -> TableMeta {
        TableMeta {
            partition_keys: vec![Column {
                name: key.into(),
                kind: "string".into(),
            }],
            ..TableMeta::default()
        }
    }

    #[test]
    fn unparseable_sql_is_an_error_not_a_guess() {
        assert!(reads("SELEC * FRM orders").is_err());
    }
}
