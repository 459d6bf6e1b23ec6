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
    #[allow(dead_code)] // Not every test file leaves the file unmapped.
    pub fn new(name: &str, pool_size: u32) -> Scratch {
        // Unmapped here, mapped (the server's default) in the API suite: both ways of
        // reading are exercised.
        Scratch::mapped(name, pool_size, 0)
    }

    /// [`Scratch::new`] with each connection mapping `map_bytes` of the file.
    #[allow(dead_code)] // Not every test file maps it.
    pub fn mapped(name: &str, pool_size: u32, map_bytes: u64) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{name}-{}", uuid::Uuid::new_v4()));
        let db = Database::open(&DbConfig {
            url: dir.join("portal.db").display().to_string(),
            pool_size,
            acquire_timeout: Duration::from_secs(30),
            sqlite_map_bytes: map_bytes,
        })
        .expect("the database opens");
        Scratch { db, dir }
    }

    /// The database's URL (its file).
    #[allow(dead_code)] // Only a test that opens it again needs it.
    pub fn db_url(&self) -> String {
        self.dir.join("portal.db").display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
