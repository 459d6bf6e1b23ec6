//! Rendered pages, kept for a few seconds (the public vacancy search's: the same
//! searches come from many visitors at once, and serving such a page from memory spares
//! the database and the rendering, where a search spends most of its time). A signed-in
//! reader's own pages are not kept: with many distinct readers one is almost never
//! asked for again within the lifetime, and remembering them cost more than it saved
//! (bench/RESULTS.md, «The headline»).
//!
//! Nothing here decides when a page is out of date: its key does. A key carries the
//! generations of everything the page shows ([`super::VacancySearches`]), so a change
//! is seen on the very next request once the change feed has brought it: at once for
//! this process's own writes, within the feed's lag for another's.

use std::future::Future;
use std::hash::Hash;
use std::time::{Duration, Instant};

use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use moka::future::Cache;
use moka::Expiry;

use super::unshared;
use crate::problem::ApiError;

/// Bytes of keys and pages remembered at once by each [`Pages`]; the least used go
/// first. Anyone may search, so the bound is on memory, not on the number of pages: a
/// page of 100 vacancies with long descriptions runs to megabytes.
const BUDGET_BYTES: u64 = 32 * 1024 * 1024;

/// A rendered page and when the oldest thing in it (a list's total) was read.
#[derive(Clone)]
struct Rendered {
    body: Bytes,
    read_at: Instant,
}

/// A page lives a lifetime from when its oldest part was read (the total in a list, the
/// row of a profile), not from its own rendering: otherwise a page rendered late in its
/// total's life would carry that total for nearly twice the lifetime.
struct UntilItsOldestPartExpires(Duration);

impl<K> Expiry<K, Rendered> for UntilItsOldestPartExpires {
    fn expire_after_create(&self, _key: &K, page: &Rendered, now: Instant) -> Option<Duration> {
        Some((page.read_at + self.0).saturating_duration_since(now))
    }
}

/// Pages by a key that names everything the page depends on.
#[derive(Clone)]
pub struct Pages<K> {
    /// None when remembering is off (a lifetime of 0).
    cache: Option<Cache<K, Rendered>>,
}

impl<K: Hash + Eq + Send + Sync + 'static> Pages<K> {
    /// Pages kept at most `ttl` after their oldest part was read.
    pub fn new(ttl: Duration) -> Self {
        Pages {
            cache: (!ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(BUDGET_BYTES)
                    // The key's own size: what it holds on the heap (a filter's few
                    // words, a cursor) is small beside a page.
                    .weigher(|_: &K, page: &Rendered| {
                        u32::try_from(std::mem::size_of::<K>() + page.body.len())
                            .unwrap_or(u32::MAX)
                    })
                    .expire_after(UntilItsOldestPartExpires(ttl))
                    .build()
            }),
        }
    }

    /// The remembered page, or the one `render` makes with the instant its oldest part
    /// was read. Requests that miss together wait for a single rendering; a failure is
    /// not remembered.
    pub async fn get_or_render(
        &self,
        key: K,
        render: impl Future<Output = Result<(Vec<u8>, Instant), ApiError>>,
    ) -> Result<Bytes, ApiError> {
        // Exactly the page's length: a serializer's spare capacity would be kept (and
        // weighed for nothing) with it.
        let rendered = async {
            let (body, read_at) = render.await?;
            Ok(Rendered {
                body: Bytes::from(body.into_boxed_slice()),
                read_at,
            })
        };
        match &self.cache {
            Some(cache) => Ok(cache
                .try_get_with(key, rendered)
                .await
                .map_err(unshared)?
                .body),
            None => Ok(rendered.await?.body),
        }
    }
}

/// A view as the JSON body of a page.
pub fn json<T: serde::Serialize>(view: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(view).map_err(|e| ApiError::Internal(format!("rendering failed: {e}")))
}

/// `200 OK` with a rendered page.
pub fn ok(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    type Rendering = Result<(Vec<u8>, Instant), ApiError>;

    /// Renders "page 0", "page 1"… counting its calls.
    fn counter() -> (AtomicU32, impl Fn(&AtomicU32, Instant) -> Rendering) {
        (AtomicU32::new(0), |n: &AtomicU32, read_at| {
            let n = n.fetch_add(1, Ordering::SeqCst);
            Ok((format!("page {n}").into_bytes(), read_at))
        })
    }

    #[actix_web::test]
    async fn a_page_is_rendered_once_and_failures_are_not_remembered() {
        let pages: Pages<String> = Pages::new(Duration::from_secs(60));
        let (n, render) = counter();
        let now = Instant::now();
        let get = |key: &str| pages.get_or_render(key.to_owned(), async { render(&n, now) });
        assert_eq!(get("k").await.unwrap(), "page 0");
        assert_eq!(get("k").await.unwrap(), "page 0");
        assert_eq!(get("j").await.unwrap(), "page 1");

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            pages.get_or_render("x".to_owned(), down).await,
            Err(ApiError::Unavailable(_))
        ));
        assert_eq!(get("x").await.unwrap(), "page 2");
    }

    #[actix_web::test]
    async fn a_page_expires_with_its_total() {
        let pages: Pages<String> = Pages::new(Duration::from_millis(300));
        let (n, render) = counter();
        // Its total was counted 200 ms ago: the page has 100 ms left, not 300.
        let counted = Instant::now() - Duration::from_millis(200);
        let get = || pages.get_or_render("k".to_owned(), async { render(&n, counted) });
        assert_eq!(get().await.unwrap(), "page 0");
        assert_eq!(get().await.unwrap(), "page 0");
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(get().await.unwrap(), "page 1");
    }

    #[actix_web::test]
    async fn a_lifetime_of_zero_renders_every_time() {
        let pages: Pages<String> = Pages::new(Duration::ZERO);
        let (n, render) = counter();
        let now = Instant::now();
        let get = || pages.get_or_render("k".to_owned(), async { render(&n, now) });
        assert_eq!(get().await.unwrap(), "page 0");
        assert_eq!(get().await.unwrap(), "page 1");
    }
}
