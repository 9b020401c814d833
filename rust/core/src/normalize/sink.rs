//! Where the folding pass writes: an aligned writer, or a plain string that copies kept runs
//! in one go.

use crate::align::{Span, Writer};

/// Where a pass writes: an aligned [`Writer`] or a plain string.
pub(super) trait Sink {
    fn keep(&mut self, span: Span);
    fn put(&mut self, span: Span, ch: char);
    fn delete(&mut self, span: Span);
}

impl Sink for Writer<'_> {
    #[inline]
    fn keep(&mut self, span: Span) {
        Writer::keep(self, span)
    }
    #[inline]
    fn put(&mut self, span: Span, ch: char) {
        self.replace_char(span, ch)
    }
    #[inline]
    fn delete(&mut self, span: Span) {
        Writer::delete(self, span)
    }
}

/// A sink that builds only the output string, copying kept runs in one go.
pub(super) struct Plain<'a> {
    input: &'a str,
    out: String,
    keep_from: usize,
    keep_to: usize,
}

impl<'a> Plain<'a> {
    pub(super) fn new(input: &'a str) -> Self {
        Plain {
            input,
            out: String::with_capacity(input.len()),
            keep_from: 0,
            keep_to: 0,
        }
    }
    #[inline]
    fn flush(&mut self) {
        if self.keep_to > self.keep_from {
            self.out.push_str(&self.input[self.keep_from..self.keep_to]);
        }
    }
    pub(super) fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

impl Sink for Plain<'_> {
    #[inline]
    fn keep(&mut self, span: Span) {
        if span.start != self.keep_to {
            self.flush();
            self.keep_from = span.start;
        }
        self.keep_to = span.end;
    }
    #[inline]
    fn put(&mut self, span: Span, ch: char) {
        self.flush();
        self.out.push(ch);
        self.keep_from = span.end;
        self.keep_to = span.end;
    }
    #[inline]
    fn delete(&mut self, span: Span) {
        self.flush();
        self.keep_from = span.end;
        self.keep_to = span.end;
    }
}
