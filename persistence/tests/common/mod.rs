//! What the persistence tests share: a fresh, migrated SQLite database on a real file.

use std::path::PathBuf;
use std::time::Duration;

use portal_persistence::{Database, DbConfig};

/// A fresh, migrated SQLite database in a folder of its own (named after `name`),
/// removed at the end.
pub struct Scratch {
    pub db: Database,
    dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str, pool_size: u32) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{name}-{}", uuid::Uuid::new_v4()));
        let db = Database::open(&DbConfig {
            url: dir.join("portal.db").display().to_string(),
            pool_size,
            acquire_timeout: Duration::from_secs(30),
            // Unmapped here, mapped (the server's default) in the API suite: both
            // ways of reading are exercised.
            sqlite_map_bytes: 0,
        })
        .expect("the database opens");
        Scratch { db, dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
