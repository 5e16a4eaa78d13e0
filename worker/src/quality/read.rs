//! Reading a rule set file (`rules.yaml`, or the same document as JSON).

use std::path::Path;

use profiler_crds::quality::{MAX_RULE_SET_BYTES, RuleSet, RuleSetError, parse_rule_set};

/// Reads and checks the rule set at `path`; an error names the file, and the rule and field (or
/// the place in the document) that is wrong.
pub fn read_rule_set(path: &Path) -> Result<RuleSet, RuleSetError> {
    let origin = path.display().to_string();
    let unreadable = |message: String| RuleSetError::Syntax { origin: origin.clone(), path: ".".into(), message };
    let size = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?.len();
    if size > MAX_RULE_SET_BYTES as u64 {
        return Err(unreadable(format!("{size} bytes; a rule set holds at most {MAX_RULE_SET_BYTES}")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    parse_rule_set(&text, &origin)
}
