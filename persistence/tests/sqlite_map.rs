//! SQLite maps as much of its file as the server is configured to: the bundled library
//! is built to map up to `SQLITE_MAP_MAX_BYTES` (`.cargo/config.toml`), past its own
//! cap of just under 2 GiB, which a million vacancies outgrow.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use portal_persistence::SQLITE_MAP_MAX_BYTES;

mod common;

use common::Scratch;

#[derive(QueryableByName)]
struct Map {
    #[diesel(sql_type = BigInt)]
    mmap_size: i64,
}

#[test]
fn a_connection_maps_up_to_the_configured_size_past_two_gib() {
    for bytes in [0, 64 << 20, 3 << 30, SQLITE_MAP_MAX_BYTES] {
        let scratch = Scratch::mapped("sqlite-map", 1, bytes);
        let mut conn = scratch.db.conn().expect("a connection");
        // SQLite answers the size in force, cut to what it was built to map.
        let map: Map = diesel::sql_query("PRAGMA mmap_size")
            .get_result(&mut *conn)
            .expect("the pragma answers");
        assert_eq!(u64::try_from(map.mmap_size).unwrap(), bytes);
    }
}
