//! A document rebuilt from its `to_dict()` form (JSON records read back), every field checked.

use super::*;

/// `value[key]`, or a `ValueError` naming what is missing.
fn item<'py>(value: &Bound<'py, PyAny>, key: &str, at: &str) -> PyResult<Bound<'py, PyAny>> {
    value
        .get_item(key)
        .map_err(|_| PyValueError::new_err(format!("Document.from_dict: {at} has no '{key}'")))
}

fn list<'py>(value: &Bound<'py, PyAny>, key: &str, at: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    item(value, key, at)?
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!("Document.from_dict: {at}['{key}'] is not a list"))
        })?
        .collect()
}

fn span(value: &Bound<'_, PyAny>, key: &str, at: &str) -> PyResult<(usize, usize)> {
    let v = item(value, key, at)?;
    let pair: Vec<usize> = v.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "Document.from_dict: {at}['{key}'] is not a (start, end) pair"
        ))
    })?;
    match pair[..] {
        [s, e] if s <= e => Ok((s, e)),
        _ => Err(PyValueError::new_err(format!(
            "Document.from_dict: {at}['{key}'] is not a (start, end) pair"
        ))),
    }
}

fn text(value: &Bound<'_, PyAny>, key: &str, at: &str) -> PyResult<String> {
    item(value, key, at)?.extract().map_err(|_| {
        PyTypeError::new_err(format!("Document.from_dict: {at}['{key}'] is not a str"))
    })
}

fn label(value: &Bound<'_, PyAny>, at: &str) -> PyResult<(Label, Reason)> {
    let l = text(value, "label", at)?;
    let r = text(value, "reason", at)?;
    let bad = |what: &str, v: &str| {
        PyValueError::new_err(format!(
            "Document.from_dict: {at} has an unknown {what} '{v}'"
        ))
    };
    Ok((
        Label::from_name(&l).ok_or_else(|| bad("label", &l))?,
        Reason::from_name(&r).ok_or_else(|| bad("reason", &r))?,
    ))
}

fn meta_from(value: &Bound<'_, PyAny>, at: &str) -> PyResult<Meta> {
    let m = item(value, "meta", at)?;
    let get = |k: &str| -> PyResult<Option<String>> {
        match m.get_item(k) {
            Ok(v) if !v.is_none() => v.extract().map(Some).map_err(|_| {
                PyTypeError::new_err(format!(
                    "Document.from_dict: {at}['meta']['{k}'] is not a str"
                ))
            }),
            _ => Ok(None),
        }
    };
    let tags = match m.get_item("tags") {
        Ok(v) if !v.is_none() => v.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "Document.from_dict: {at}['meta']['tags'] is not a list of str"
            ))
        })?,
        _ => Vec::new(),
    };
    Ok(Meta {
        date: get("date")?,
        date_raw: get("date_raw")?,
        byline: get("byline")?,
        source: get("source")?,
        tags,
        lang: get("lang")?,
        url: get("url")?,
        host: get("host")?,
    })
}

/// Paragraphs back from their dicts; spans stay code points (the map is the identity) and the
/// sentences' spans in the body text become byte spans in the paragraph's text again.
fn paragraphs_from(
    value: &Bound<'_, PyAny>,
    at: &str,
    blocks: &HashMap<(usize, usize), usize>,
    offsets: &mut Vec<usize>,
) -> PyResult<Vec<Paragraph>> {
    let mut out = Vec::new();
    for (i, p) in list(value, "paragraphs", at)?.iter().enumerate() {
        let at = format!("{at}['paragraphs'][{i}]");
        let text = text(p, "text", &at)?;
        let (start, end) = span(p, "span", &at)?;
        let (body_start, _) = span(p, "text_span", &at)?;
        let mut sentences = Vec::new();
        for (k, s) in list(p, "sentences", &at)?.iter().enumerate() {
            let at = format!("{at}['sentences'][{k}]");
            let (ts, te) = span(s, "text_span", &at)?;
            let (is, ie) = span(s, "span", &at)?;
            let local = |c: usize| char_to_byte_offset(&text, c.saturating_sub(body_start));
            sentences.push(Sentence {
                span: Span::new(local(ts), local(te).max(local(ts))),
                input: Span::new(is, ie),
            });
            offsets.extend([is, ie]);
        }
        offsets.extend([start, end]);
        out.push(Paragraph {
            block: blocks.get(&(start, end)).copied().unwrap_or(0),
            text,
            span: Span::new(start, end),
            sentences,
        });
    }
    Ok(out)
}

pub(super) fn from_dict(value: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
    let at = "the document";
    let title: Option<String> = item(value, "title", at)?.extract().map_err(|_| {
        PyTypeError::new_err("Document.from_dict: the document's 'title' is not a str or None")
    })?;
    let mut offsets = Vec::new();
    let mut blocks = Vec::new();
    let mut by_span = HashMap::new();
    for (i, b) in list(value, "blocks", at)?.iter().enumerate() {
        let at = format!("blocks[{i}]");
        let (s, e) = span(b, "span", &at)?;
        let (label, reason) = label(b, &at)?;
        let line: usize = item(b, "line", &at)?.extract()?;
        by_span.entry((s, e)).or_insert(i);
        offsets.extend([s, e]);
        blocks.push(BlockLabel {
            span: Span::new(s, e),
            line,
            label,
            reason,
        });
    }
    let mut removed = Vec::new();
    for (i, r) in list(value, "removed", at)?.iter().enumerate() {
        let at = format!("removed[{i}]");
        let (s, e) = span(r, "span", &at)?;
        let (label, reason) = label(r, &at)?;
        let block: usize = item(r, "block", &at)?.extract()?;
        if block >= blocks.len() {
            return Err(PyValueError::new_err(format!(
                "Document.from_dict: {at}['block'] is not an index of blocks"
            )));
        }
        removed.push(Removed {
            text: text(r, "text", &at)?,
            span: Span::new(s, e),
            label,
            reason,
            block,
        });
    }
    let paragraphs = paragraphs_from(value, at, &by_span, &mut offsets)?;
    let mut articles = Vec::new();
    for (i, a) in list(value, "articles", at)?.iter().enumerate() {
        let at = format!("articles[{i}]");
        articles.push(Article {
            title: item(a, "title", &at)?.extract()?,
            meta: meta_from(a, &at)?,
            paragraphs: paragraphs_from(a, &at, &by_span, &mut offsets)?,
        });
    }
    // absent in dicts written before it existed
    let confidence: f32 = match value.get_item("confidence") {
        Ok(c) if !c.is_none() => c.extract().map_err(|_| {
            PyTypeError::new_err("Document.from_dict: the document's 'confidence' is not a number")
        })?,
        _ => 0.0,
    };
    let mut quality = Quality {
        confidence,
        ..Quality::default()
    };
    if let Ok(q) = value.get_item("quality") {
        if !q.is_none() {
            let q = q.cast_into::<PyDict>().map_err(|_| {
                PyTypeError::new_err("Document.from_dict: the document's 'quality' is not a dict")
            })?;
            for (k, v) in q.iter() {
                let k: String = k.extract()?;
                let v: f32 = v.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "Document.from_dict: quality['{k}'] is not a number"
                    ))
                })?;
                if !quality.set(&k, v) {
                    return Err(PyValueError::new_err(format!(
                        "Document.from_dict: quality has no measure '{k}'"
                    )));
                }
            }
        }
    }
    let doc = Document {
        title,
        meta: meta_from(value, at)?,
        paragraphs,
        removed,
        blocks,
        articles,
        confidence,
        quality,
    };
    Ok(PyDocument::new(Cleaned {
        doc,
        map: CharOffsets::identity(offsets),
    }))
}
