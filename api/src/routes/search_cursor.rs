//! The vacancy search's keyset cursor (issue 19): opaque to clients, it names the sort
//! key of the last row of a page, the sort, the search it belongs to, and the total
//! the walk counted.
//!
//! The text is `base64url(v3|sort|search|key|seq|count|estimate|counted_at|check)`,
//! where `seq` is the row's publication number (`persistence::vacancy_order`), `search`
//! fingerprints the filter (a cursor only continues the search that gave it), `count`,
//! `estimate` (`1` or `0`) and `counted_at` (Unix seconds) are the total the walk
//! counted (see [`TOTAL_KEPT`]) and `check` is a checksum of the rest: anything a
//! client made up or cut short is refused (422) rather than read. It is validated, not
//! signed: a well-formed key a client edits by hand only moves where its own page
//! starts, and an edited total only changes what its own pages say. A `v2` cursor
//! (without the total) is still read.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::vacancy::{VacancyFilter, VacancySort};
use domain::Coded;
use persistence::vacancy_search::{After, Key};
use persistence::vacancy_totals::Total;
use sha2::{Digest, Sha256};

/// The longest cursor accepted, in characters.
pub const MAX_LEN: usize = 512;

/// How long a walk's cursors carry the total its first page counted, in seconds: a
/// page reached by cursor within this time shows that total again instead of counting
/// anew, as a point-in-time search does (a deep page then costs what its rows cost).
/// Past it the total is counted again and carried on from then.
pub const TOTAL_KEPT: i64 = 10 * 60;

/// How far ahead of this server's clock another server's `counted_at` may be.
const CLOCK_SKEW: i64 = 60;

/// The total a walk counted, and when (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carried {
    pub total: Total,
    pub counted_at: i64,
}

impl Carried {
    /// Whether it may still be shown at `now` (Unix seconds): counted at most
    /// [`TOTAL_KEPT`] before, and not later (give or take the servers' clocks).
    pub fn kept_at(&self, now: i64) -> bool {
        let age = now.saturating_sub(self.counted_at);
        (-CLOCK_SKEW..=TOTAL_KEPT).contains(&age)
    }
}

/// What a cursor says: where the page starts and, when it says, the walk's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub after: After,
    pub total: Option<Carried>,
}

/// Hex of the first 8 bytes of SHA-256 of `parts`, with a label of their use.
fn digest(label: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    hex::encode(&h.finalize()[..8])
}

/// The search a cursor belongs to: filters as they match (texts by their stems).
pub fn fingerprint(filter: &VacancyFilter) -> String {
    let mut normal = filter.clone();
    let stems = filter.stems();
    normal.text = (!stems.is_empty()).then(|| stems.join(" "));
    normal.benefits.sort_unstable();
    normal.benefits.dedup();
    digest("search", &format!("{normal:?}"))
}

fn key_text(key: Key) -> String {
    match key {
        Key::Date => String::new(),
        Key::Salary(s) => s.to_string(),
        Key::Rating(r) => format!("{:016x}", r.to_bits()),
        Key::Relevance { title } => if title { "t" } else { "b" }.to_owned(),
    }
}

fn parse_key(sort: VacancySort, text: &str) -> Option<Key> {
    match sort {
        VacancySort::Date => text.is_empty().then_some(Key::Date),
        VacancySort::Salary => text.parse().ok().map(Key::Salary),
        VacancySort::Rating => u64::from_str_radix(text, 16)
            .ok()
            .map(f64::from_bits)
            .filter(|r| r.is_finite())
            .map(Key::Rating),
        VacancySort::Relevance => match text {
            "t" => Some(Key::Relevance { title: true }),
            "b" => Some(Key::Relevance { title: false }),
            _ => None,
        },
    }
}

/// The cursor of the page after the row `after` of the search `fingerprint`, carrying
/// the walk's total.
pub fn encode(fingerprint: &str, after: &After, total: Carried) -> String {
    let body = format!(
        "v3|{}|{fingerprint}|{}|{}|{}|{}|{}",
        after.key.sort().code(),
        key_text(after.key),
        after.seq,
        total.total.count,
        u8::from(total.total.estimate),
        total.counted_at
    );
    let check = digest("cursor", &body);
    URL_SAFE_NO_PAD.encode(format!("{body}|{check}"))
}

/// Why a cursor was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorError {
    /// Not one this server wrote, or altered.
    Malformed,
    /// Written for another search or sort.
    OtherSearch,
}

/// The row a cursor starts after and the total it carries, if it was written for this
/// search and sort.
pub fn decode(text: &str, fingerprint: &str, sort: VacancySort) -> Result<Cursor, CursorError> {
    if text.len() > MAX_LEN {
        return Err(CursorError::Malformed);
    }
    let raw = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| CursorError::Malformed)?;
    let raw = String::from_utf8(raw).map_err(|_| CursorError::Malformed)?;
    let (body, check) = raw.rsplit_once('|').ok_or(CursorError::Malformed)?;
    if digest("cursor", body) != check {
        return Err(CursorError::Malformed);
    }
    let parts: Vec<&str> = body.split('|').collect();
    // v1 named a date and an id: pages are numbered by publication since.
    let (sort_code, search, key, seq, total) = match parts[..] {
        ["v2", sort, search, key, seq] => (sort, search, key, seq, None),
        ["v3", sort, search, key, seq, count, estimate, at] => {
            (sort, search, key, seq, Some((count, estimate, at)))
        }
        _ => return Err(CursorError::Malformed),
    };
    let written_for: VacancySort = sort_code.parse().map_err(|_| CursorError::Malformed)?;
    if written_for != sort || search != fingerprint {
        return Err(CursorError::OtherSearch);
    }
    let key = parse_key(sort, key).ok_or(CursorError::Malformed)?;
    let seq: i64 = seq.parse().map_err(|_| CursorError::Malformed)?;
    let total = total.map(parse_total).transpose()?;
    Ok(Cursor {
        after: After { key, seq },
        total,
    })
}

fn parse_total((count, estimate, at): (&str, &str, &str)) -> Result<Carried, CursorError> {
    let estimate = match estimate {
        "1" => true,
        "0" => false,
        _ => return Err(CursorError::Malformed),
    };
    Ok(Carried {
        total: Total {
            count: count.parse().map_err(|_| CursorError::Malformed)?,
            estimate,
        },
        counted_at: at.parse().map_err(|_| CursorError::Malformed)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(key: Key) -> After {
        After {
            key,
            seq: 1_234_567,
        }
    }

    fn carried(count: u64, estimate: bool) -> Carried {
        Carried {
            total: Total { count, estimate },
            counted_at: 1_796_000_000,
        }
    }

    /// A cursor of `body` as this server would write it (checksum included).
    fn written(body: &str) -> String {
        URL_SAFE_NO_PAD.encode(format!("{body}|{}", digest("cursor", body)))
    }

    #[test]
    fn every_key_round_trips() {
        let f = fingerprint(&VacancyFilter::default());
        for key in [
            Key::Date,
            Key::Salary(80_000),
            Key::Rating(4.7),
            Key::Relevance { title: true },
            Key::Relevance { title: false },
        ] {
            for total in [carried(0, false), carried(u64::MAX, true)] {
                let a = after(key);
                let text = encode(&f, &a, total);
                assert!(text.len() <= MAX_LEN);
                let read = Cursor {
                    after: a,
                    total: Some(total),
                };
                assert_eq!(decode(&text, &f, key.sort()), Ok(read));
            }
        }
    }

    #[test]
    fn a_cursor_without_a_total_is_still_read() {
        let f = fingerprint(&VacancyFilter::default());
        let v2 = written(&format!("v2|salary|{f}|5|1234567"));
        assert_eq!(
            decode(&v2, &f, VacancySort::Salary),
            Ok(Cursor {
                after: after(Key::Salary(5)),
                total: None
            })
        );
    }

    #[test]
    fn a_total_is_kept_ten_minutes_from_its_count() {
        let total = carried(7, false);
        let at = total.counted_at;
        assert!(total.kept_at(at));
        assert!(total.kept_at(at + TOTAL_KEPT));
        assert!(!total.kept_at(at + TOTAL_KEPT + 1));
        // Another server's clock a little ahead; a time far ahead is not believed.
        assert!(total.kept_at(at - CLOCK_SKEW));
        assert!(!total.kept_at(at - CLOCK_SKEW - 1));
        assert!(!carried(7, false).kept_at(i64::MIN));
    }

    #[test]
    fn another_search_or_sort_or_a_changed_byte_is_refused() {
        let f = fingerprint(&VacancyFilter::default());
        let text = encode(&f, &after(Key::Salary(5)), carried(3, false));
        let other = fingerprint(&VacancyFilter {
            region: Some("77".into()),
            ..VacancyFilter::default()
        });
        assert_eq!(
            decode(&text, &other, VacancySort::Salary),
            Err(CursorError::OtherSearch)
        );
        assert_eq!(
            decode(&text, &f, VacancySort::Date),
            Err(CursorError::OtherSearch)
        );
        let mut bytes = URL_SAFE_NO_PAD.decode(&text).unwrap();
        let i = bytes.len() / 2;
        bytes[i] ^= 1;
        let altered = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(
            decode(&altered, &f, VacancySort::Salary),
            Err(CursorError::Malformed)
        );
        // A cursor of the format before publication numbers.
        let v1 = written("v1|date|x||1764000000123456|01935f50-aaaa-7000-8000-000000000001");
        // Totals that are not numbers, an estimate flag that is not one, a part missing.
        let bad_totals = [
            written(&format!("v3|salary|{f}|5|1|-3|0|1796000000")),
            written(&format!("v3|salary|{f}|5|1|3|yes|1796000000")),
            written(&format!("v3|salary|{f}|5|1|3|0|soon")),
            written(&format!("v3|salary|{f}|5|1|3|0")),
        ];
        for junk in [
            "",
            "!!",
            "djE",
            &"A".repeat(MAX_LEN + 1),
            &v1,
            &bad_totals[0],
            &bad_totals[1],
            &bad_totals[2],
            &bad_totals[3],
        ] {
            assert_eq!(
                decode(junk, &f, VacancySort::Salary),
                Err(CursorError::Malformed)
            );
        }
    }

    #[test]
    fn texts_with_the_same_stems_are_one_search() {
        let a = VacancyFilter {
            text: Some("Поварами".into()),
            ..VacancyFilter::default()
        };
        let b = VacancyFilter {
            text: Some("повар".into()),
            ..VacancyFilter::default()
        };
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }
}
