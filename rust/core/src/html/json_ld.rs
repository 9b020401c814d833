//! Structured metadata from JSON-LD scripts.

use super::text::collapse;
use super::PageMeta;

/// Headline, date, author and keywords of the first article object in a JSON-LD script.
pub(super) fn json_ld(text: &str, meta: &mut PageMeta) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
        return;
    };
    let mut todo = vec![&v];
    let mut seen = 0;
    while let Some(v) = todo.pop() {
        seen += 1;
        if seen > 1000 {
            return;
        }
        match v {
            serde_json::Value::Array(a) => todo.extend(a.iter().rev()),
            serde_json::Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    todo.push(g);
                }
                let is_article = match o.get("@type") {
                    Some(serde_json::Value::String(t)) => is_article_type(t),
                    Some(serde_json::Value::Array(ts)) => {
                        ts.iter().any(|t| t.as_str().is_some_and(is_article_type))
                    }
                    _ => false,
                };
                if !is_article {
                    continue;
                }
                if let Some(h) = o.get("headline").and_then(|h| h.as_str()) {
                    meta.headline = Some(collapse(h));
                }
                if let Some(d) = o.get("datePublished").and_then(|d| d.as_str()) {
                    meta.date = Some(d.trim().to_string());
                }
                if let Some(a) = o.get("author").and_then(author_name) {
                    meta.author = Some(a);
                }
                match o.get("keywords") {
                    Some(serde_json::Value::String(k)) => {
                        meta.tags = k
                            .split([',', '،'])
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect();
                    }
                    Some(serde_json::Value::Array(ks)) => {
                        meta.tags = ks
                            .iter()
                            .filter_map(|k| k.as_str())
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect();
                    }
                    _ => {}
                }
                return;
            }
            _ => {}
        }
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
}

fn author_name(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.starts_with("http") => Some(collapse(s)),
        serde_json::Value::Object(o) => o.get("name").and_then(author_name),
        serde_json::Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(author_name).collect();
            (!names.is_empty()).then(|| names.join("، "))
        }
        _ => None,
    }
}
