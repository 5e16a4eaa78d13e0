//! `profiler suggest` (a rule set recommended from a profile) and `profiler rules` (a rule set
//! file checked, or written in another tool's format): docs/rules.md.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use profiler_crds::quality::{Rule, RuleSet, RuleType};
use profiler_engine::quality::suggest::{SuggestOptions, suggest};
use profiler_worker::WorkerError;
use profiler_worker::quality::export::{ExportFormat, export};
use profiler_worker::quality::read::read_rule_set;
use profiler_worker::report::json;

/// `profiler suggest`.
#[derive(Args)]
pub struct SuggestArgs {
    /// The profile to recommend rules from (a profile.json).
    profile: PathBuf,
    /// Where to write the rule set (default: rules.yaml in --out-dir).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also write the rule set as dqdl (rules.dqdl), gx (expectations.json) or soda (checks.yml)
    /// in --out-dir; repeatable or comma-separated.
    #[arg(long = "export", value_name = "FORMAT", value_delimiter = ',', value_parser = parse_format)]
    export: Vec<ExportFormat>,
    /// Directory for rules.yaml and the exports.
    #[arg(long, default_value = ".")]
    out_dir: PathBuf,
    /// Table name the exports give (Soda's `checks for`, the suite's name); default: the last
    /// part of the profile's location.
    #[arg(long)]
    dataset: Option<String>,
    /// rowCount lower bound as a multiple of the profiled rows.
    #[arg(long, default_value_t = SuggestOptions::ROW_COUNT_MIN_FACTOR)]
    row_count_min_factor: f64,
    /// rowCount upper bound as a multiple of the profiled rows.
    #[arg(long, default_value_t = SuggestOptions::ROW_COUNT_MAX_FACTOR)]
    row_count_max_factor: f64,
    /// Share of the observed span a range is widened by on each side.
    #[arg(long, default_value_t = SuggestOptions::RANGE_MARGIN)]
    range_margin: f64,
    /// Least margin below an observed completeness or content type fraction.
    #[arg(long, default_value_t = SuggestOptions::FRACTION_MARGIN)]
    fraction_margin: f64,
    /// Most values of a suggested allowedValues rule.
    #[arg(long, default_value_t = SuggestOptions::MAX_ALLOWED_VALUES)]
    max_allowed_values: usize,
    /// Least share of strings of one content type for a contentType rule.
    #[arg(long, default_value_t = SuggestOptions::CONTENT_TYPE_MIN_FRACTION)]
    content_type_min_fraction: f64,
    /// Do not print the table of suggested rules.
    #[arg(short, long)]
    quiet: bool,
}

/// `profiler rules ...`.
#[derive(Subcommand)]
pub enum RulesCommand {
    /// Write a rule set (rules.yaml, suggested or written by hand) in another tool's format.
    Export(RulesExportArgs),
    /// Check a rule set file and print its rules; an invalid file exits with code 2 and an error
    /// naming the rule and field.
    Validate {
        /// The rule set (rules.yaml).
        rules: PathBuf,
    },
}

/// `profiler rules export`.
#[derive(Args)]
pub struct RulesExportArgs {
    /// The rule set (rules.yaml).
    rules: PathBuf,
    /// dqdl (AWS Glue Data Quality), gx (a Great Expectations suite) or soda (SodaCL checks).
    #[arg(long, value_parser = parse_format)]
    format: ExportFormat,
    /// Where to write the export (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Table name the export gives (Soda's `checks for`, the suite's name); default: the last
    /// part of the rule set's `table`.
    #[arg(long)]
    dataset: Option<String>,
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    text.parse().map_err(|e: profiler_worker::quality::export::UnknownFormat| e.to_string())
}

/// Suggests a rule set from the profile, writes it and the exports asked for, prints the rules.
pub fn run_suggest(args: &SuggestArgs) -> Result<(), WorkerError> {
    let profile = json::read(&args.profile)?;
    let options = SuggestOptions {
        row_count_min_factor: args.row_count_min_factor,
        row_count_max_factor: args.row_count_max_factor,
        range_margin: args.range_margin,
        fraction_margin: args.fraction_margin,
        max_allowed_values: args.max_allowed_values,
        content_type_min_fraction: args.content_type_min_fraction,
        ..SuggestOptions::default()
    };
    let set = suggest(&profile, &options).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
    create_dir(&args.out_dir)?;
    let rules_path = args.output.clone().unwrap_or_else(|| args.out_dir.join("rules.yaml"));
    let yaml = set.to_yaml().map_err(|e| output_error(&rules_path, e.to_string()))?;
    let header = format!(
        "# Data quality rules suggested by profiler from {} (format: docs/rules.md).\n# Review before adopting: each rule's rationale states the profile figure it came from.\n",
        args.profile.display()
    );
    write(&rules_path, &(header + &yaml))?;
    let mut written = vec![rules_path];
    for format in &args.export {
        let path = args.out_dir.join(format.file_name());
        write(&path, &export(&set, *format, args.dataset.as_deref()))?;
        written.push(path);
    }
    if !args.quiet {
        print!("{}", table(&set));
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        println!("\n{} rules suggested; wrote {}", set.rules.len(), names.join(", "));
    }
    Ok(())
}

/// Runs a `profiler rules` subcommand.
pub fn run_rules(command: &RulesCommand) -> Result<(), WorkerError> {
    match command {
        RulesCommand::Export(args) => {
            let set = read(&args.rules)?;
            let text = export(&set, args.format, args.dataset.as_deref());
            match &args.output {
                Some(path) => write(path, &text),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
        RulesCommand::Validate { rules } => {
            let set = read(rules)?;
            print!("{}", table(&set));
            println!("\n{}: {} valid rules", rules.display(), set.rules.len());
            Ok(())
        }
    }
}

/// Reads a rule set; a bad file is bad input (exit code 2) named by rule and field.
fn read(path: &Path) -> Result<RuleSet, WorkerError> {
    read_rule_set(path).map_err(|e| WorkerError::InvalidRequest(e.to_string()))
}

fn create_dir(dir: &Path) -> Result<(), WorkerError> {
    std::fs::create_dir_all(dir).map_err(|e| output_error(dir, e.to_string()))
}

fn write(path: &Path, text: &str) -> Result<(), WorkerError> {
    std::fs::write(path, text).map_err(|e| output_error(path, e.to_string()))
}

fn output_error(path: &Path, reason: String) -> WorkerError {
    WorkerError::Output { path: path.to_path_buf(), reason }
}

/// The rules as a table: name, type, column, what the rule requires.
fn table(set: &RuleSet) -> String {
    let rows: Vec<[String; 4]> = set
        .rules
        .iter()
        .map(|r| [r.name.clone(), r.rule_type.to_string(), r.column.clone().unwrap_or_default(), requirement(r)])
        .collect();
    let header = ["RULE", "TYPE", "COLUMN", "REQUIRES"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count().min(48));
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row.iter().zip(widths).map(|(cell, w)| format!("{:<w$}", clip(cell, 48))).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// What a rule requires, in a few words.
fn requirement(r: &Rule) -> String {
    let num = |x: f64| profiler_worker::quality::export::number(x);
    let between = |min: Option<String>, max: Option<String>| match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => String::new(),
    };
    let fraction = |what: &str| {
        if r.min_fraction() >= 1.0 { format!("all {what}") } else { format!(">= {} {what}", num(r.min_fraction())) }
    };
    match r.rule_type {
        RuleType::RowCount => format!("{} rows", between(r.min.map(num), r.max.map(num))),
        RuleType::Completeness => fraction("non-null"),
        RuleType::Uniqueness => fraction("distinct"),
        RuleType::AllowedValues => {
            let values = r.values.as_deref().unwrap_or_default();
            format!("in {} values: {}", values.len(), values.join(", "))
        }
        RuleType::Range if r.earliest.is_some() || r.latest.is_some() => between(r.earliest.clone(), r.latest.clone()),
        RuleType::Range => between(r.min.map(num), r.max.map(num)),
        RuleType::NonNegative => ">= 0".into(),
        RuleType::StringLength => format!("{} long", between(r.min.map(num), r.max.map(num))),
        RuleType::ContentType => {
            let name = r.content_type.map(profiler_worker::quality::export::content_type_name).unwrap_or_default();
            fraction(&name)
        }
    }
}
