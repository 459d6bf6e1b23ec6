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

/// How many rows PostgreSQL's planner expects `query` to return (`EXPLAIN`): an
/// estimate from the table's statistics, without running the query.
pub fn planned_rows<Q>(conn: &mut diesel::PgConnection, query: Q) -> Result<u64, crate::StoreError>
where
    Q: QueryFragment<diesel::pg::Pg> + QueryId,
{
    use diesel::RunQueryDsl;
    let plan: String = Explained(query).get_result(conn)?;
    let plan: serde_json::Value = serde_json::from_str(&plan)
        .map_err(|e| crate::StoreError::Corrupt(format!("an EXPLAIN that is not JSON: {e}")))?;
    let rows = plan[0]["Plan"]["Plan Rows"].as_f64().unwrap_or(0.0);
    // A row count, whole and not negative, as the planner's figure is.
    Ok(format!("{:.0}", rows.max(0.0)).parse().unwrap_or(0))
}

/// `EXPLAIN (FORMAT JSON) …`, see [`planned_rows`].
struct Explained<Q>(Q);

impl<Q> Query for Explained<Q> {
    type SqlType = diesel::sql_types::Text;
}

impl<Q: QueryId> QueryId for Explained<Q> {
    type QueryId = Explained<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for Explained<Q> {}

impl<Q: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for Explained<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN (FORMAT JSON) ");
        self.0.walk_ast(out.reborrow())
    }
}
