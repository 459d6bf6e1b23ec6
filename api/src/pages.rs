//! Rendered pages of the public vacancy search, kept for a few seconds.
//!
//! The bank is public and the same searches (a region's vacancies by salary, a common
//! profession) come from many visitors at once; the page is the same for each of them.
//! Serving it from memory spares the database walk and the rendering, which `perf` put
//! at four fifths of such a request. A page's key starts with the totals' key
//! ([`crate::totals::SearchTotals::key`]), so a publication through this process
//! retires at once the pages of its region and those of searches of every region; a
//! publication elsewhere shows within the lifetime, as a proxy cache in front of the
//! server would behave.

use std::future::Future;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use moka::future::Cache;
use moka::Expiry;

use crate::problem::ApiError;
use crate::totals::unshared;

/// Bytes of keys and pages remembered at once; the least used go first. Anyone may
/// search, so the bound is on memory, not on the number of pages: a page of 100
/// vacancies with long descriptions runs to megabytes.
const BUDGET_BYTES: u64 = 32 * 1024 * 1024;

/// A rendered page and when the total in it was counted.
#[derive(Clone)]
struct Rendered {
    body: Bytes,
    counted_at: Instant,
}

/// A page lives as long as the total in it, not a lifetime from its own rendering:
/// otherwise a page rendered late in its total's life would carry that total for
/// nearly twice the lifetime.
struct UntilTheTotalExpires(Duration);

impl Expiry<String, Rendered> for UntilTheTotalExpires {
    fn expire_after_create(
        &self,
        _key: &String,
        page: &Rendered,
        now: Instant,
    ) -> Option<Duration> {
        Some((page.counted_at + self.0).saturating_duration_since(now))
    }
}

pub struct SearchPages {
    /// None when remembering is off (a lifetime of 0).
    cache: Option<Cache<String, Rendered>>,
}

impl SearchPages {
    /// Pages kept at most `ttl` after their total was counted.
    pub fn new(ttl: Duration) -> Self {
        SearchPages {
            cache: (!ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(BUDGET_BYTES)
                    .weigher(|key: &String, page: &Rendered| {
                        u32::try_from(key.len() + page.body.len()).unwrap_or(u32::MAX)
                    })
                    .expire_after(UntilTheTotalExpires(ttl))
                    .build()
            }),
        }
    }

    /// The remembered page, or the one `render` makes with the instant its total was
    /// counted. Requests that miss together wait for a single rendering; a failure is
    /// not remembered.
    pub async fn get_or_render(
        &self,
        key: String,
        render: impl Future<Output = Result<(Vec<u8>, Instant), ApiError>>,
    ) -> Result<Bytes, ApiError> {
        // Exactly the page's length: a serializer's spare capacity would be kept (and
        // weighed for nothing) with it.
        let rendered = async {
            let (body, counted_at) = render.await?;
            Ok(Rendered {
                body: Bytes::from(body.into_boxed_slice()),
                counted_at,
            })
        };
        match &self.cache {
            None => Ok(rendered.await?.body),
            Some(cache) => Ok(cache
                .try_get_with(key, rendered)
                .await
                .map_err(unshared)?
                .body),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    type Rendering = Result<(Vec<u8>, Instant), ApiError>;

    /// Renders "page 0", "page 1"… counting its calls.
    fn counter() -> (AtomicU32, impl Fn(&AtomicU32, Instant) -> Rendering) {
        (AtomicU32::new(0), |n: &AtomicU32, counted_at| {
            let n = n.fetch_add(1, Ordering::SeqCst);
            Ok((format!("page {n}").into_bytes(), counted_at))
        })
    }

    #[actix_web::test]
    async fn a_page_is_rendered_once_and_failures_are_not_remembered() {
        let pages = SearchPages::new(Duration::from_secs(60));
        let (n, render) = counter();
        let now = Instant::now();
        let get = |key: &str| pages.get_or_render(key.into(), async { render(&n, now) });
        assert_eq!(get("k").await.unwrap(), "page 0");
        assert_eq!(get("k").await.unwrap(), "page 0");
        assert_eq!(get("j").await.unwrap(), "page 1");

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            pages.get_or_render("x".into(), down).await,
            Err(ApiError::Unavailable(_))
        ));
        assert_eq!(get("x").await.unwrap(), "page 2");
    }

    #[actix_web::test]
    async fn a_page_expires_with_its_total() {
        let pages = SearchPages::new(Duration::from_millis(300));
        let (n, render) = counter();
        // Its total was counted 200 ms ago: the page has 100 ms left, not 300.
        let counted = Instant::now() - Duration::from_millis(200);
        let get = || pages.get_or_render("k".into(), async { render(&n, counted) });
        assert_eq!(get().await.unwrap(), "page 0");
        assert_eq!(get().await.unwrap(), "page 0");
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(get().await.unwrap(), "page 1");
    }

    #[actix_web::test]
    async fn a_lifetime_of_zero_renders_every_time() {
        let pages = SearchPages::new(Duration::ZERO);
        let (n, render) = counter();
        let now = Instant::now();
        let get = || pages.get_or_render("k".into(), async { render(&n, now) });
        assert_eq!(get().await.unwrap(), "page 0");
        assert_eq!(get().await.unwrap(), "page 1");
    }
}
