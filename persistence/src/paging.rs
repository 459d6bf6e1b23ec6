//! Page requests and pages, shared by every list, and the count-then-page query that
//! fills most of them.

use diesel::dsl::{CountStar, Limit, Offset, Select};
use diesel::prelude::*;
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl, SelectDsl};
use diesel::query_dsl::LoadQuery;

use crate::DbConnection;

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` in the user's text
/// matching themselves (use with `.escape('\\')`).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A validated page request: `page` from 1, `per_page` within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }
}

/// One page of results with the totals a pager needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u64 {
        self.total.div_ceil(u64::from(self.per_page.max(1)))
    }
}

impl<T> Page<T> {
    /// `items` as page `request` of `total` matches.
    pub fn new(request: PageRequest, total: u64, items: Vec<T>) -> Page<T> {
        Page {
            items,
            page: request.page,
            per_page: request.per_page,
            total,
        }
    }

    /// The same page with each item converted (rows into domain values).
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        })
    }
}

/// Page `request` of what `filtered()` matches, with the total a pager needs: one
/// statement counts the matches, another loads the page's rows in the order and
/// shape `rows` gives the query (unless the page lies past the end). `filtered` builds
/// the (boxed) query afresh for each.
pub fn count_and_load<'q, Q, P, R>(
    conn: &mut DbConnection,
    request: PageRequest,
    filtered: impl Fn() -> Q,
    rows: impl FnOnce(Q) -> P,
) -> QueryResult<Page<R>>
where
    Q: QueryDsl + SelectDsl<CountStar>,
    Select<Q, CountStar>: LoadQuery<'q, DbConnection, i64>,
    P: LimitDsl,
    Limit<P>: OffsetDsl,
    Offset<Limit<P>>: LoadQuery<'q, DbConnection, R>,
{
    let total: i64 = filtered().count().get_result(conn)?;
    // A page past the end (`page` may be up to a million) is empty: the count said
    // so, and no second query skips the whole list to find nothing.
    let items = if request.offset() >= total {
        Vec::new()
    } else {
        rows(filtered())
            .limit(request.limit())
            .offset(request.offset())
            .load(conn)?
    };
    Ok(Page::new(request, u64::try_from(total).unwrap_or(0), items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_skips_the_pages_before_it() {
        let third = PageRequest {
            page: 3,
            per_page: 20,
        };
        assert_eq!((third.offset(), third.limit()), (40, 20));
        let zeroth = PageRequest {
            page: 0,
            per_page: 20,
        };
        assert_eq!(zeroth.offset(), 0);
    }

    #[test]
    fn a_page_counts_its_pages_and_converts_its_items() {
        let request = PageRequest {
            page: 2,
            per_page: 10,
        };
        let page = Page::new(request, 21, vec!["1", "2"]);
        assert_eq!(page.total_pages(), 3);
        let parsed = page.try_map(str::parse::<u8>).unwrap();
        assert_eq!(
            (parsed.items, parsed.page, parsed.per_page, parsed.total),
            (vec![1, 2], 2, 10, 21)
        );
        let bad = Page::new(request, 1, vec!["x"]).try_map(str::parse::<u8>);
        assert!(bad.is_err());
        assert_eq!(Page::<u8>::new(request, 0, vec![]).total_pages(), 0);
    }

    #[test]
    fn user_text_matches_itself_in_a_like_pattern() {
        assert_eq!(contains_pattern(r"50%_a\b"), r"%50\%\_a\\b%");
    }
}
