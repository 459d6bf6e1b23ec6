//! The vacancy bank as a search engine (issue 19): Russian morphology, salary bands
//! for facets, and the words a search is made of.
//!
//! Morphology is the Snowball stemmer, applied here and only here: the words of a
//! vacancy are stemmed once as it is written (both databases index the stems), and
//! the words of a query are stemmed the same way, so «поварами», «повара» and «повар»
//! all become `повар` and find the same vacancies on SQLite, on PostgreSQL, and in
//! saved searches, which match each new vacancy in Rust.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

/// The most words of a query that are looked for; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 8;

/// The most words of a text that [`corrected`] looks at: a typed search is short, and
/// each word costs a look-up in the title words.
pub const MAX_CORRECTED_WORDS: usize = 4;

/// Longest word kept, in characters: longer runs are not words people search for.
const MAX_WORD_CHARS: usize = 40;

fn russian() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

fn english() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The words of a text: runs of letters and digits, lower-cased, «ё» read as «е».
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ё' { 'е' } else { c })
                .take(MAX_WORD_CHARS)
                .collect()
        })
}

/// A word's stem: Russian by the Russian stemmer, Latin by the English one, anything
/// else (numbers) as it is. Never empty for a non-empty word.
pub fn stem(word: &str) -> String {
    let stemmed = if word.is_ascii() {
        english().stem(word)
    } else {
        russian().stem(word)
    };
    if stemmed.is_empty() {
        word.to_owned()
    } else {
        stemmed.into_owned()
    }
}

/// The distinct stems of a text in their first order.
pub fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        let s = stem(&w);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The stems of a text as both databases index them: separated by spaces.
pub fn indexed(text: &str) -> String {
    stems(text).join(" ")
}

/// The stems a query looks for (at most [`MAX_QUERY_WORDS`]); none when the text has
/// no word, and then the text filters nothing.
pub fn query(text: Option<&str>) -> Vec<String> {
    let mut s = text.map(stems).unwrap_or_default();
    s.truncate(MAX_QUERY_WORDS);
    s
}

/// The stems a query's stem is looked for as: itself and, for a noun whose «е» before
/// a final «ц» drops when it is declined, its other form. The stemmer keeps the vowel
/// in the nominative and has none in every other case (`продавец` for «продавец»,
/// `продавц` for «продавца», «продавцы», «продавцов»), so without the twin «продавцы»
/// would not find a vacancy titled «Продавец», nor «продавец» one that says «требуются
/// продавцы». Likewise «отец»/«отца», «танец»/«танцы», «немец»/«немцы». A twin that no
/// word has («кузнец» → `кузнц`) finds nothing, so it costs nothing but a look-up.
pub fn forms(stem: &str) -> Vec<String> {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    let twin = match chars.as_slice() {
        // `…ец` after a consonant: the form without the vowel.
        [.., before, 'е', 'ц'] if n >= 4 && is_consonant(*before) => Some(
            chars[..n - 2]
                .iter()
                .chain(['ц'].iter())
                .collect::<String>(),
        ),
        // `…ц` after a consonant: the nominative, with the vowel.
        [.., before, 'ц'] if n >= 3 && is_consonant(*before) => Some(
            chars[..n - 1]
                .iter()
                .chain(['е', 'ц'].iter())
                .collect::<String>(),
        ),
        _ => None,
    };
    std::iter::once(stem.to_owned()).chain(twin).collect()
}

/// A Russian consonant letter that a fleeting «е» can follow («й», «ь» and «ъ» are not:
/// «боец» declines as «бойца», which no twin of `боец` would give).
fn is_consonant(c: char) -> bool {
    "бвгджзклмнпрстфхцчшщ".contains(c)
}

/// Whether an indexed text (see [`indexed`]) holds every stem of a query, each in any
/// of its [`forms`].
pub fn holds_all(indexed: &[&str], query: &[String]) -> bool {
    query.iter().all(|q| {
        let forms = forms(q);
        indexed
            .iter()
            .any(|text| text.split(' ').any(|s| forms.iter().any(|f| f == s)))
    })
}

/// How many letters of a word may be wrong, missing, extra or swapped for a search that
/// found nothing to offer a known word instead: none in a word of three letters or
/// fewer (too many words are that close), one up to seven, two from eight.
pub fn typos_allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The text a search that found nothing probably meant, word by word: a word whose
/// stem (in any of its [`forms`]) no known word shares is replaced by the known word nearest to it (fewest
/// letters changed, inserted, dropped or swapped, within [`typos_allowed`]; the most
/// used on a tie), so «бугалтер» becomes «бухгалтер». `known` lists the known words
/// that could be meant by a word: those of its first letter and about its length (a
/// first letter is seldom the one mistyped). `None` when no word changes, or when the
/// text has more than [`MAX_CORRECTED_WORDS`] words.
pub fn corrected(text: &str, mut known: impl FnMut(&str) -> Vec<(String, u64)>) -> Option<String> {
    let words: Vec<String> = words(text).collect();
    if words.len() > MAX_CORRECTED_WORDS {
        return None;
    }
    let mut changed = false;
    let words: Vec<String> = words
        .into_iter()
        .map(|word| {
            let allowed = typos_allowed(&word);
            if allowed == 0 || word.chars().all(char::is_numeric) {
                return word;
            }
            let candidates = known(&word);
            let forms = forms(&stem(&word));
            if candidates.iter().any(|(k, _)| forms.contains(&stem(k))) {
                return word;
            }
            let nearest = candidates
                .iter()
                .map(|(k, uses)| (strsim::osa_distance(&word, k), std::cmp::Reverse(*uses), k))
                .filter(|(d, _, _)| *d <= allowed)
                .min();
            match nearest {
                Some((_, _, k)) => {
                    changed = true;
                    k.clone()
                }
                None => word,
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// How far what has been typed so far is from the start of `word`, when within
/// [`typos_allowed`]: the fewest letters wrong, missing, extra or swapped between
/// `typed` and a beginning of `word` about as long (type-ahead: «бугал» is one letter
/// off «бухгал…», so it may mean «бухгалтер»). `None` when farther.
pub fn typos_from_start(typed: &str, word: &str) -> Option<usize> {
    let allowed = typos_allowed(typed);
    if allowed == 0 {
        return None;
    }
    let typed_len = typed.chars().count();
    let word: Vec<char> = word.chars().collect();
    let shortest = typed_len.saturating_sub(allowed).max(1);
    let longest = (typed_len + allowed).min(word.len());
    (shortest..=longest)
        .map(|n| strsim::osa_distance(typed, &word[..n].iter().collect::<String>()))
        .filter(|d| *d <= allowed)
        .min()
}

/// Salary bands of the search's facets, by a vacancy's top (or only) figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SalaryBand {
    #[serde(rename = "not_stated")]
    NotStated,
    #[serde(rename = "under_30k")]
    Under30k,
    #[serde(rename = "from_30k_to_60k")]
    From30kTo60k,
    #[serde(rename = "from_60k_to_100k")]
    From60kTo100k,
    #[serde(rename = "from_100k_to_150k")]
    From100kTo150k,
    #[serde(rename = "from_150k")]
    From150k,
}

crate::coded_enum!(SalaryBand {
    NotStated => ("not_stated", "Зарплата не указана"),
    Under30k => ("under_30k", "До 30 000 ₽"),
    From30kTo60k => ("from_30k_to_60k", "От 30 000 до 60 000 ₽"),
    From60kTo100k => ("from_60k_to_100k", "От 60 000 до 100 000 ₽"),
    From100kTo150k => ("from_100k_to_150k", "От 100 000 до 150 000 ₽"),
    From150k => ("from_150k", "От 150 000 ₽"),
});

impl SalaryBand {
    /// The range of the top figure (`salary_sort`, 0 when none) the band holds:
    /// `lo <= top < hi`.
    pub fn bounds(self) -> (i64, i64) {
        match self {
            SalaryBand::NotStated => (0, 1),
            SalaryBand::Under30k => (1, 30_000),
            SalaryBand::From30kTo60k => (30_000, 60_000),
            SalaryBand::From60kTo100k => (60_000, 100_000),
            SalaryBand::From100kTo150k => (100_000, 150_000),
            SalaryBand::From150k => (150_000, i64::MAX),
        }
    }

    /// The band of a top figure (0 or none: not stated).
    pub fn of(top: Option<i64>) -> SalaryBand {
        let top = top.unwrap_or(0).max(0);
        use crate::Coded;
        SalaryBand::ALL
            .iter()
            .copied()
            .find(|b| {
                let (lo, hi) = b.bounds();
                lo <= top && top < hi
            })
            .unwrap_or(SalaryBand::From150k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn word_forms_share_a_stem() {
        for (forms, want) in [
            (
                &["повар", "повара", "поварами", "поваров", "Повару"][..],
                "повар",
            ),
            (&["водитель", "водителя", "водителями"][..], "водител"),
            (&["сварщик", "сварщики", "сварщиков"][..], "сварщик"),
            (&["developer", "developers"][..], "develop"),
        ] {
            for f in forms {
                assert_eq!(stems(f), vec![want.to_owned()], "{f}");
            }
        }
    }

    #[test]
    fn a_fleeting_vowel_does_not_part_a_nouns_forms() {
        // Every form of each noun, in a title or in a query, finds every other.
        for nouns in [
            &[
                "продавец",
                "продавца",
                "продавцы",
                "продавцов",
                "продавцом",
                "Продавцу",
            ][..],
            &["отец", "отца", "отцы"][..],
            &["танец", "танца", "танцы", "танцами"][..],
            &["немец", "немца", "немцы"][..],
            &["кузнец", "кузнеца", "кузнецы"][..],
            &["повар", "повара", "поварами"][..],
        ] {
            for asked in nouns {
                for written in nouns {
                    let doc = indexed(written);
                    assert!(
                        holds_all(&[&doc], &query(Some(asked))),
                        "{asked} → {written}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_a_final_ets_after_a_consonant_has_a_twin() {
        assert_eq!(forms("продавец"), ["продавец", "продавц"]);
        assert_eq!(forms("продавц"), ["продавц", "продавец"]);
        assert_eq!(forms("отц"), ["отц", "отец"]);
        // After a vowel, «й» or «ь» the vowel is not fleeting, or the stem too short.
        for single in [
            "боец",
            "шприц",
            "бойц",
            "жильц",
            "ец",
            "ц",
            "повар",
            "лиц",
            "a",
        ] {
            assert_eq!(forms(single), [single], "{single}");
        }
        // Another word's stem is not found through a twin.
        assert!(!holds_all(&[&indexed("отчество")], &query(Some("отец"))));
        assert!(!holds_all(
            &[&indexed("продавщица")],
            &query(Some("продавец"))
        ));
    }

    /// A vocabulary of title words with uses, as `corrected` is given it.
    fn vocabulary(word: &str) -> Vec<(String, u64)> {
        let first = word.chars().next();
        [
            ("бухгалтер", 50),
            ("водитель", 80),
            ("повар", 90),
            ("пекарь", 10),
            ("пекарня", 3),
            ("продавец", 70),
            ("сварщик", 40),
            ("главный", 20),
        ]
        .into_iter()
        .filter(|(k, _)| k.chars().next() == first)
        .map(|(k, n)| (k.to_owned(), n))
        .collect()
    }

    #[test]
    fn a_misspelt_word_is_corrected_to_the_nearest_known_one() {
        for (typed, want) in [
            ("бугалтер", Some("бухгалтер")), // one letter wrong, one missing
            ("вадитель", Some("водитель")),  // one wrong
            ("сваршик", Some("сварщик")),    // one wrong
            ("вордитель", Some("водитель")), // one extra
            ("пваор", None),                 // a swap and more: too far for five letters
            ("повра", Some("повар")),        // a swap
            ("главный бугалтер", Some("главный бухгалтер")),
            ("Водитель погрузчека", None), // no known word near the second
            ("повар повар повар повар вадитель", None), // too many words to look up
            ("поварами", None),            // known: its stem is a known word's
            ("продавцы", None),            // known: a twin of its stem is продавец's
            ("пекар", None),               // known: пекарь's stem
            ("кот", None),                 // too short to correct
            ("2024", None),
            ("", None),
        ] {
            assert_eq!(corrected(typed, vocabulary).as_deref(), want, "{typed}");
        }
        // A tie goes to the most used word.
        assert_eq!(corrected("пекарт", vocabulary).as_deref(), Some("пекарь"));
    }

    #[test]
    fn a_typed_beginning_is_near_the_words_it_may_start() {
        assert_eq!(typos_from_start("повр", "повар"), Some(1));
        assert_eq!(typos_from_start("бугал", "бухгалтер"), Some(1));
        assert_eq!(typos_from_start("бугалтер", "бухгалтер"), Some(1));
        assert_eq!(typos_from_start("вадит", "водитель"), Some(1));
        assert_eq!(typos_from_start("повар", "повар"), Some(0));
        assert_eq!(typos_from_start("пов", "повар"), None, "too short to guess");
        assert_eq!(typos_from_start("сварщ", "бухгалтер"), None);
        assert_eq!(typos_from_start("бугалтер", "бух"), None);
    }

    #[test]
    fn the_typos_allowed_grow_with_the_word() {
        assert_eq!(typos_allowed("кот"), 0);
        assert_eq!(typos_allowed("повар"), 1);
        assert_eq!(typos_allowed("водитель"), 2);
    }

    #[test]
    fn words_are_letters_and_digits_lower_cased_with_yo_as_ye() {
        let w: Vec<String> = words("Ёлочный 100% a_b C:\\temp ПОВАР-кондитер").collect();
        assert_eq!(
            w,
            ["елочный", "100", "a", "b", "c", "temp", "повар", "кондитер"]
        );
        assert_eq!(stems("   %_\\  "), Vec::<String>::new());
        assert_eq!(stems("повар повара"), vec!["повар".to_owned()]);
    }

    #[test]
    fn query_is_capped_and_matches_every_stem() {
        let q = query(Some("повара горячего цеха"));
        assert_eq!(q.len(), 3);
        let doc = indexed("Повар горячего цеха");
        assert!(holds_all(&[&doc], &q));
        assert!(holds_all(&["повар", "горяч цех"], &q));
        assert!(!holds_all(&["повар горяч"], &q));
        assert!(holds_all(&["x"], &query(None)));
        let long = query(Some("a b c d e f g h i j k"));
        assert_eq!(long.len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn every_figure_falls_in_exactly_one_band() {
        for top in [
            None,
            Some(0),
            Some(1),
            Some(29_999),
            Some(30_000),
            Some(59_999),
            Some(60_000),
            Some(99_999),
            Some(100_000),
            Some(149_999),
            Some(150_000),
            Some(10_000_000),
        ] {
            let t = top.unwrap_or(0);
            let holding: Vec<SalaryBand> = SalaryBand::ALL
                .iter()
                .copied()
                .filter(|b| b.bounds().0 <= t && t < b.bounds().1)
                .collect();
            assert_eq!(holding, vec![SalaryBand::of(top)], "{top:?}");
        }
        assert_eq!(SalaryBand::of(None), SalaryBand::NotStated);
        assert_eq!(SalaryBand::of(Some(60_000)), SalaryBand::From60kTo100k);
    }
}
