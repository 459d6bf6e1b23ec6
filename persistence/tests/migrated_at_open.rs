//! Opening a database applies its pending migrations and says how many it applied
//! (`portal migrate` prints it): all of SQLite's set on a fresh file, none on the next
//! open.

use std::time::Duration;

use portal_persistence::{Database, DbConfig};

mod common;

use common::Scratch;

#[test]
fn the_first_open_applies_every_migration_and_the_next_none() {
    let scratch = Scratch::new("migrated-at-open", 1);
    let set = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))
        .expect("the migrations folder")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert!(set > 40, "{set} migrations");
    assert_eq!(scratch.db.migrated_at_open(), set);
    let url = scratch.db_url();
    let again = Database::open(&DbConfig {
        url,
        pool_size: 1,
        acquire_timeout: Duration::from_secs(30),
        sqlite_map_bytes: 0,
    })
    .expect("the database opens again");
    assert_eq!(again.migrated_at_open(), 0);
}
