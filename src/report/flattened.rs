//! Text scraped from web pages with every tag stripped: the whole report on one line.
use super::Report;
use crate::format::FormatVersion;
use crate::syntax::Document;

pub fn read_tables(report: &mut Report, doc: &Document, line: usize, year_version: Option<FormatVersion>) {
    let _ = (report, doc, line, year_version);
}
