//! An upload form's body, bounded while it is read (`multipart/form-data`).
//!
//! The multipart parser buffers whatever it reads until it finds a part's headers, and
//! reads on through parts nobody keeps; on its own it would hold or read a body of any
//! size. [`UploadForm`] meters the bytes it pulls from the connection against the
//! bytes the parts hand on (counted by [`UploadForm::chunk`]): framing — boundaries,
//! part headers, what the parser holds while looking for them — may take at most
//! [`FRAMING`] (and the chunk asked for next), the whole body at most [`BODY_LIMIT`],
//! the form [`MAX_PARTS`] parts. Past any of them the body stops with
//! `PayloadError::Overflow`, which answers 413, whether or not the request came
//! with an `Idempotency-Key` (whose middleware bounds the body it reads as well).

use std::cell::Cell;
use std::future::{ready, Ready};
use std::rc::Rc;

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;

/// The bytes of a form that are not its parts' contents.
pub const FRAMING: u64 = 1024 * 1024;

/// The most of a form ever read: a file refused as too large is still read (and thrown
/// away) up to eight times the limit, so that a client still sending reads the 413.
pub const BODY_LIMIT: u64 = 8 * domain::file::MAX_FILE_SIZE + FRAMING;

/// The most parts a form may have: the file and a few text fields.
pub const MAX_PARTS: usize = 8;

#[derive(Debug, Default)]
struct Meter {
    /// Bytes read from the connection.
    pulled: Cell<u64>,
    /// Bytes of the parts' contents handed on.
    delivered: Cell<u64>,
    /// Whether the body was stopped: the parser may report it as another fault.
    overflowed: Cell<bool>,
}

impl Meter {
    /// Counts a chunk the parser asked for. It may not ask while it already holds more
    /// than [`FRAMING`] it has not handed on (a chunk may be large: a body read whole
    /// by the idempotency middleware comes back as one), nor past [`BODY_LIMIT`].
    fn pull(&self, chunk: &Bytes) -> Result<(), PayloadError> {
        let held = self.pulled.get().saturating_sub(self.delivered.get());
        let pulled = self.pulled.get() + chunk.len() as u64;
        self.pulled.set(pulled);
        if held > FRAMING || pulled > BODY_LIMIT {
            self.overflowed.set(true);
            Err(PayloadError::Overflow)
        } else {
            Ok(())
        }
    }
}

/// A `multipart/form-data` body, read through a [`Meter`].
pub struct UploadForm {
    form: Multipart,
    meter: Rc<Meter>,
    parts: usize,
}

impl UploadForm {
    /// The next part; one past [`MAX_PARTS`] is an overflow (413).
    pub async fn part(&mut self) -> Option<Result<Field, MultipartError>> {
        match self.form.next().await {
            Some(Ok(_)) if self.parts == MAX_PARTS => Some(Err(overflow())),
            Some(Ok(field)) => {
                self.parts += 1;
                Some(Ok(field))
            }
            Some(Err(e)) => Some(Err(self.stopped_or(e))),
            None => None,
        }
    }

    /// The next chunk of `field`'s contents, counted as delivered.
    pub async fn chunk(&self, field: &mut Field) -> Option<Result<Bytes, MultipartError>> {
        match field.next().await {
            Some(Ok(bytes)) => {
                let delivered = &self.meter.delivered;
                delivered.set(delivered.get() + bytes.len() as u64);
                Some(Ok(bytes))
            }
            Some(Err(e)) => Some(Err(self.stopped_or(e))),
            None => None,
        }
    }

    /// The parser's fault, or the overflow behind it.
    fn stopped_or(&self, e: MultipartError) -> MultipartError {
        if self.meter.overflowed.get() {
            overflow()
        } else {
            e
        }
    }
}

fn overflow() -> MultipartError {
    MultipartError::Payload(PayloadError::Overflow)
}

impl FromRequest for UploadForm {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let meter = Rc::new(Meter::default());
        let counted = Rc::clone(&meter);
        let body = payload.take().map(move |chunk| {
            let chunk = chunk?;
            counted.pull(&chunk)?;
            Ok(chunk)
        });
        ready(Ok(UploadForm {
            form: Multipart::new(req.headers(), body),
            meter,
            parts: 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_is_bounded_by_what_the_parts_hand_on() {
        let meter = Meter::default();
        let chunk = Bytes::from(vec![0u8; 256 * 1024]);
        for _ in 0..5 {
            assert!(meter.pull(&chunk).is_ok());
        }
        assert!(
            meter.pull(&chunk).is_err(),
            "1.25 MB held with nothing handed on: a part's headers that never end"
        );
        let meter = Meter::default();
        for _ in 0..5 {
            assert!(meter.pull(&chunk).is_ok());
        }
        meter.delivered.set(5 * 256 * 1024);
        assert!(meter.pull(&chunk).is_ok(), "contents handed on make room");
    }

    #[test]
    fn a_body_read_whole_comes_back_as_one_chunk() {
        let meter = Meter::default();
        let body = Bytes::from(vec![0u8; 5 * 1024 * 1024]);
        assert!(meter.pull(&body).is_ok());
    }

    #[test]
    fn the_body_stops_at_its_limit_whatever_was_handed_on() {
        let meter = Meter::default();
        meter.delivered.set(u64::MAX / 2);
        meter.pulled.set(BODY_LIMIT - 10);
        assert!(meter.pull(&Bytes::from_static(&[0; 10])).is_ok());
        assert!(meter.pull(&Bytes::from_static(&[0])).is_err());
    }
}
