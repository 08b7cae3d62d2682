//! The report model (stub while the reader is written).
use crate::syntax::{Document, TableLayout};
use crate::{FormatVersion, OutlineItem, SumCheck};

pub struct Report {
    pub year: Option<u16>,
    pub tables_version: Option<FormatVersion>,
    pub layout: TableLayout,
}

impl Report {
    pub fn build(_doc: &Document) -> Report {
        Report { year: None, tables_version: None, layout: TableLayout::Markdown }
    }
    pub fn is_report(&self) -> bool {
        false
    }
    pub fn outline(&self) -> Vec<OutlineItem> {
        Vec::new()
    }
    pub fn sums(&self) -> Vec<SumCheck> {
        Vec::new()
    }
}
