//! The vacancy search's keyset cursor (issue 19): opaque to clients, it names the sort
//! key of the last row of a page, the sort, and the search it belongs to.
//!
//! The text is `base64url(v2|sort|search|key|seq|check)`, where `seq` is the row's
//! publication number (`persistence::vacancy_order`), `search`
//! fingerprints the filter (a cursor only continues the search that gave it) and
//! `check` is a checksum of the rest: anything a client made up or cut short is
//! refused (422) rather than read. It is validated, not signed: a well-formed key a
//! client edits by hand only moves where its own page starts.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::vacancy::{VacancyFilter, VacancySort};
use domain::Coded;
use persistence::vacancy_search::{After, Key};
use sha2::{Digest, Sha256};

/// The longest cursor accepted, in characters.
pub const MAX_LEN: usize = 512;

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

/// The cursor of the page after the row `after` of the search `fingerprint`.
pub fn encode(fingerprint: &str, after: &After) -> String {
    let body = format!(
        "v2|{}|{fingerprint}|{}|{}",
        after.key.sort().code(),
        key_text(after.key),
        after.seq
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

/// The row a cursor starts after, if it was written for this search and sort.
pub fn decode(text: &str, fingerprint: &str, sort: VacancySort) -> Result<After, CursorError> {
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
    let parts: Vec<&str> = body.splitn(5, '|').collect();
    let [version, sort_code, search, key, seq] = parts[..] else {
        return Err(CursorError::Malformed);
    };
    // v1 named a date and an id: pages are numbered by publication since.
    if version != "v2" {
        return Err(CursorError::Malformed);
    }
    let written_for: VacancySort = sort_code.parse().map_err(|_| CursorError::Malformed)?;
    if written_for != sort || search != fingerprint {
        return Err(CursorError::OtherSearch);
    }
    let key = parse_key(sort, key).ok_or(CursorError::Malformed)?;
    let seq: i64 = seq.parse().map_err(|_| CursorError::Malformed)?;
    Ok(After { key, seq })
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
            let a = after(key);
            let text = encode(&f, &a);
            assert!(text.len() <= MAX_LEN);
            assert_eq!(decode(&text, &f, key.sort()), Ok(a));
        }
    }

    #[test]
    fn another_search_or_sort_or_a_changed_byte_is_refused() {
        let f = fingerprint(&VacancyFilter::default());
        let text = encode(&f, &after(Key::Salary(5)));
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
        let v1 = "v1|date|x||1764000000123456|01935f50-aaaa-7000-8000-000000000001";
        let v1 = URL_SAFE_NO_PAD.encode(format!("{v1}|{}", digest("cursor", v1)));
        for junk in ["", "!!", "djE", &"A".repeat(MAX_LEN + 1), &v1] {
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
