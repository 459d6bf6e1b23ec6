//! `SELECT count(*) FROM (…) AS matched`: counting the rows of a query (a bounded one,
//! with its `LIMIT`) inside the database, which Diesel cannot say. Loading the rows to
//! count them would send each one to the server process (on PostgreSQL, over the wire)
//! only to be dropped.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::BigInt;
use diesel::QueryResult;

/// The number of rows `query` returns.
pub fn rows_of<Q>(query: Q) -> RowsOf<Q> {
    RowsOf(query)
}

/// See [`rows_of`].
#[derive(Debug, Clone, Copy)]
pub struct RowsOf<Q>(Q);

impl<Q> Query for RowsOf<Q> {
    type SqlType = BigInt;
}

impl<Q: QueryId> QueryId for RowsOf<Q> {
    type QueryId = RowsOf<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for RowsOf<Q> {}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for RowsOf<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT count(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS matched");
        Ok(())
    }
}
