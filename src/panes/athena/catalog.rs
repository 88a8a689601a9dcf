//! The data catalog browser (`c`): catalogs → databases → tables, each
//! table with its columns and partition keys; Enter on a table writes its
//! name into the editor where the cursor is.

use super::{AthenaPane, Focus};
use crate::app::{Data, PollStatus, Resource};
use crate::cloud::athena::{CatalogEntry, TableMeta};
use crate::cloud::CloudError;
use crate::panes::Reply;
use crate::ui::components::list::Cursor;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    Catalogs,
    Databases {
        catalog: String,
    },
    Tables {
        catalog: String,
        database: String,
    },
}

#[derive(Debug, Default)]
pub struct Browser {
    pub level: Level,
    pub catalogs: Vec<CatalogEntry>,
    pub databases: Vec<String>,
    pub tables: Vec<TableMeta>,
    /// Whose databases and tables the lists hold: going back down into the
    /// same one shows them at once while they are read again.
    databases_of: Option<String>,
    tables_of: Option<(String, String)>,
    pub cursor: Cursor,
    pub status: PollStatus,
}

impl Browser {
    /// What the current level lists (polled while it is shown).
    pub fn resource(&self) -> Resource {
        match &self.level {
            Level::Catalogs => Resource::AthenaCatalogs,
            Level::Databases { catalog } => Resource::AthenaDatabases {
                catalog: catalog.clone(),
            },
            Level::Tables { catalog, database } => Resource::AthenaTables {
                catalog: catalog.clone(),
                database: database.clone(),
            },
        }
    }

    pub fn len(&self) -> usize {
        match self.level {
            Level::Catalogs => self.catalogs.len(),
            Level::Databases { .. } => self.databases.len(),
            Level::Tables { .. } => self.tables.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn selected_table(&self) -> Option<&TableMeta> {
        match self.level {
            Level::Tables { .. } => self.tables.get(self.cursor.selected),
            _ => None,
        }
    }

    /// "AwsDataCatalog › sales_db".
    pub fn place(&self) -> String {
        match &self.level {
            Level::Catalogs => "data catalogs".into(),
            Level::Databases { catalog } => format!("{catalog} › databases"),
            Level::Tables { catalog, database } => format!("{catalog} › {database} › tables"),
        }
    }

    fn go(&mut self, level: Level) {
        self.level = level;
        self.cursor = Cursor::default();
        self.status = PollStatus::default();
    }
}

impl AthenaPane {
    pub(super) fn open_catalog(&mut self) -> Reply {
        self.focus = Focus::Catalog;
        Reply::Handled(vec![])
    }

    /// Enter: one level down; on a table, its name into the editor.
    pub(super) fn catalog_open(&mut self) -> Reply {
        let b = &mut self.browser;
        let i = b.cursor.selected;
        match b.level.clone() {
            Level::Catalogs => {
                let Some(c) = b.catalogs.get(i) else {
                    return Reply::Ignored;
                };
                let catalog = c.name.clone();
                if b.databases_of.as_ref() != Some(&catalog) {
                    b.databases.clear();
                }
                b.go(Level::Databases { catalog });
            }
            Level::Databases { catalog } => {
                let Some(database) = b.databases.get(i).cloned() else {
                    return Reply::Ignored;
                };
                if b.tables_of.as_ref() != Some(&(catalog.clone(), database.clone())) {
                    b.tables.clear();
                }
                b.go(Level::Tables { catalog, database });
            }
            Level::Tables { database, .. } => {
                let Some(t) = b.tables.get(i) else {
                    return Reply::Ignored;
                };
                let name = format!("{database}.{}", t.name);
                self.editor.insert_text(&name);
                self.focus = Focus::Editor;
                return Reply::Tell {
                    effects: vec![],
                    text: format!("{name} written into the query"),
                };
            }
        }
        Reply::Handled(vec![])
    }

    /// Back: one level up; from the catalogs, to the results.
    pub(super) fn catalog_back(&mut self) -> Reply {
        let b = &mut self.browser;
        match b.level.clone() {
            Level::Catalogs => self.focus = super::Focus::Results,
            Level::Databases { catalog } => {
                b.go(Level::Catalogs);
                b.cursor.selected = b
                    .catalogs
                    .iter()
                    .position(|c| c.name == catalog)
                    .unwrap_or(0);
            }
            Level::Tables { catalog, database } => {
                b.go(Level::Databases { catalog });
                b.cursor.selected = b.databases.iter().position(|d| *d == database).unwrap_or(0);
            }
        }
        Reply::Handled(vec![])
    }

    pub(super) fn catalog_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        let b = &mut self.browser;
        if *resource != b.resource() {
            return;
        }
        b.status.record(at, result, next_in);
        match result {
            Ok(Data::AthenaCatalogs(c)) => {
                b.catalogs = c.clone();
                // An account lists AwsDataCatalog; an emulator may list
                // none: the configured catalog is always there to open.
                if !b.catalogs.iter().any(|c| c.name == self.catalog) {
                    b.catalogs.insert(
                        0,
                        CatalogEntry {
                            name: self.catalog.clone(),
                            kind: "GLUE".into(),
                        },
                    );
                }
            }
            Ok(Data::AthenaDatabases(d)) => {
                b.databases = d.clone();
                if let Level::Databases { catalog } = &b.level {
                    b.databases_of = Some(catalog.clone());
                }
            }
            Ok(Data::AthenaTables(t)) => {
                b.tables = t.clone();
                if let Level::Tables { catalog, database } = &b.level {
                    b.tables_of = Some((catalog.clone(), database.clone()));
                }
            }
            _ => {}
        }
        let len = b.len();
        b.cursor.clamp(len);
    }
}
