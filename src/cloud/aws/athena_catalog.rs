//! Athena's data catalog through aws-sdk-athena: catalogs, a catalog's
//! databases, a database's tables with their columns and partition keys —
//! every page, 50 a page (the APIs' largest).

use super::errors::map_sdk_error;
use crate::cloud::athena::{CatalogEntry, Column, TableMeta};
use crate::cloud::CloudResult;
use aws_sdk_athena::Client;

fn columns(list: &[aws_sdk_athena::types::Column]) -> Vec<Column> {
    list.iter()
        .map(|c| Column {
            name: c.name().to_string(),
            kind: c.r#type().unwrap_or_default().to_string(),
        })
        .collect()
}

pub async fn catalogs(client: &Client) -> CloudResult<Vec<CatalogEntry>> {
    let pages: Vec<_> = client
        .list_data_catalogs()
        // 2..=50: the API's own bounds.
        .max_results(50)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("athena:ListDataCatalogs", e))?;
    Ok(pages
        .into_iter()
        .flat_map(|p| p.data_catalogs_summary.unwrap_or_default())
        .map(|c| CatalogEntry {
            name: c.catalog_name().unwrap_or_default().to_string(),
            kind: c
                .r#type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
        })
        .collect())
}

pub async fn databases(client: &Client, catalog: &str) -> CloudResult<Vec<String>> {
    let pages: Vec<_> = client
        .list_databases()
        .catalog_name(catalog)
        .max_results(50)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("athena:ListDatabases", e))?;
    let mut names: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.database_list.unwrap_or_default())
        .map(|d| d.name().to_string())
        .collect();
    names.sort();
    Ok(names)
}

pub async fn tables(client: &Client, catalog: &str, database: &str) -> CloudResult<Vec<TableMeta>> {
    let pages: Vec<_> = client
        .list_table_metadata()
        .catalog_name(catalog)
        .database_name(database)
        .max_results(50)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("athena:ListTableMetadata", e))?;
    let mut tables: Vec<TableMeta> = pages
        .into_iter()
        .flat_map(|p| p.table_metadata_list.unwrap_or_default())
        .map(|t| TableMeta {
            name: t.name().to_string(),
            kind: t.table_type().map(str::to_string),
            columns: columns(t.columns()),
            partition_keys: columns(t.partition_keys()),
        })
        .collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tables)
}
