//! What a query reads, for the guardrails before a run: each table it
//! names and the columns its WHERE (and JOIN … ON) compare, so a read of a
//! partitioned table with no predicate on any partition key can be asked
//! about first. Parsed with `sqlparser` (ANSI / Trino-like SQL); what it
//! cannot parse is said, never guessed.

use super::TableMeta;
use sqlparser::ast::{
    visit_expressions, Expr, ObjectName, Query, Select, SetExpr, Statement, TableFactor,
    TableWithJoins,
};
use sqlparser::dialect::{GenericDialect, HiveDialect};
use sqlparser::parser::Parser;
use std::collections::BTreeSet;
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
        match s {
            Statement::Query(q) => query(q, &BTreeSet::new(), &mut out),
            Statement::Insert(i) => {
                if let Some(q) = &i.source {
                    query(q, &BTreeSet::new(), &mut out);
                }
            }
            Statement::CreateTable(c) => {
                if let Some(q) = &c.query {
                    query(q, &BTreeSet::new(), &mut out);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `ctes`: names a WITH clause defined, which are not catalog tables.
fn query(q: &Query, ctes: &BTreeSet<String>, out: &mut Vec<TableRead>) {
    let mut ctes = ctes.clone();
    if let Some(with) = &q.with {
        for cte in &with.cte_tables {
            query(&cte.query, &ctes, out);
            ctes.insert(cte.alias.name.value.to_ascii_lowercase());
        }
    }
    set_expr(&q.body, &ctes, out);
}

fn set_expr(s: &SetExpr, ctes: &BTreeSet<String>, out: &mut Vec<TableRead>) {
    match s {
        SetExpr::Select(sel) => select(sel, ctes, out),
        SetExpr::Query(q) => query(q, ctes, out),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr(left, ctes, out);
            set_expr(right, ctes, out);
        }
        _ => {}
    }
}

fn select(sel: &Select, ctes: &BTreeSet<String>, out: &mut Vec<TableRead>) {
    let mut filtered = BTreeSet::new();
    let mut subqueries: Vec<Query> = Vec::new();
    let mut collect = |e: &Expr| {
        match e {
            Expr::Identifier(i) => {
                filtered.insert(i.value.to_ascii_lowercase());
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    filtered.insert(last.value.to_ascii_lowercase());
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    };
    if let Some(w) = &sel.selection {
        let _ = visit_expressions(w, &mut collect);
        sub_queries(w, &mut subqueries);
    }
    for twj in &sel.from {
        for j in &twj.joins {
            let _ = visit_expressions(&j.join_operator, &mut collect);
        }
    }
    for twj in &sel.from {
        table_with_joins(twj, &filtered, ctes, out);
    }
    for q in &subqueries {
        query(q, ctes, out);
    }
}

/// Queries inside a WHERE (`IN (SELECT …)`, `EXISTS`, scalar subqueries).
fn sub_queries(e: &Expr, found: &mut Vec<Query>) {
    let _ = visit_expressions(e, |x: &Expr| {
        match x {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => found.push((**q).clone()),
            Expr::InSubquery { subquery, .. } => found.push((**subquery).clone()),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn table_with_joins(
    twj: &TableWithJoins,
    filtered: &BTreeSet<String>,
    ctes: &BTreeSet<String>,
    out: &mut Vec<TableRead>,
) {
    factor(&twj.relation, filtered, ctes, out);
    for j in &twj.joins {
        factor(&j.relation, filtered, ctes, out);
    }
}

fn factor(
    f: &TableFactor,
    filtered: &BTreeSet<String>,
    ctes: &BTreeSet<String>,
    out: &mut Vec<TableRead>,
) {
    match f {
        TableFactor::Table { name, args, .. } if args.is_none() => {
            let parts = name_parts(name);
            let is_cte = parts.len() == 1 && ctes.contains(&parts[0].to_ascii_lowercase());
            if !is_cte && !parts.is_empty() {
                out.push(TableRead {
                    parts,
                    filtered: filtered.clone(),
                });
            }
        }
        TableFactor::Derived { subquery, .. } => query(subquery, ctes, out),
        TableFactor::NestedJoin {
            table_with_joins: twj,
            ..
        } => table_with_joins(twj, filtered, ctes, out),
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
    fn unparseable_sql_is_an_error_not_a_guess() {
        assert!(reads("SELEC * FRM orders").is_err());
    }
}
