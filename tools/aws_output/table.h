// table.h: the AWS CLI's `--output table`, as Debian 12's awscli 2.9.19 renders it (awscli/formatter.py's
// TableFormatter building an awscli/table.py MultiTable, Python 3.11, colorama 0.4.6).
//
// Contract: FormatTable(value, options) returns the bytes `aws` writes to stdout for `value` (the response
// after --query), or, when Python raises while building the table, the exception's text (TableOutput::error,
// text empty): aws then writes nothing to stdout, writes "\n" + error + "\n" to stderr and exits with 255
// (its GeneralExceptionHandler). With --color on colorama also wraps stderr, so every one of those three
// writes is followed by "\x1b[0m": "\n\x1b[0m" + error + "\x1b[0m\n\x1b[0m".
//
// The rules are Python's, one for one:
// - A falsy value (null, false, 0, 0.0, "", [], {}) prints nothing at all; a scalar prints a section that
//   has only the title (options.title, the operation's name, e.g. "TestMetricFilter").
// - A dict: its scalar keys, sorted by code point, are a header row and one row of values (a single scalar
//   key is one row `key | value` without header); each key with a list or dict value, sorted, is a section of
//   its own one level deeper, unless the value is falsy.
// - A list whose first element is a dict: the union of the elements' scalar keys (sorted) heads the section,
//   one row per element (`element.get(key, '')`, so a key whose value is a list or dict in this element
//   prints Python's str() of it: "[1, 'a']"); when some element has non-scalar keys, every element after the
//   first starts a new section with the same title (None, 4 columns wide, when the list is nested in a list).
//   Non-dict elements after the first make Python fail: ints, floats, booleans and null are "not iterable",
//   strings "string indices must be integers, not 'str'", lists are indexed by their own elements (so `[0]`
//   contributes a header 0 and then "'list' object has no attribute 'get'"), exactly in Python's order.
// - Any other list: a scalar element is a one-cell row; a list of scalars is a row; a dict is a row of its
//   KEYS (`all(...)` iterates a dict's keys); a list holding lists or dicts is rendered into the current
//   section (no title, indent 0) recursively. Rows of unequal length fail: "Row should have 2 elements,
//   instead it has 1"; a header row longer than the section's widths: "list index out of range".
// - Cells are Python's str(): True, False, None, ints, floats as repr() ("1e+16", "0.1", "-0.0", "nan").
// - Widths are code points, two for each East Asian Wide, Fullwidth or Ambiguous one (unicodedata of Python
//   3.11, Unicode 14.0; a code point unassigned in 14.0 counts two, as Python's default record says 'F').
//   ICU answers for code points assigned by 14.0 (checked against Python for all 1.1M code points by the
//   tests); u_charAge() tells the later ones. Bytes that are not UTF-8 count one each.
// - The table is as wide as its widest section (title + 2, or columns' widths + 4 each + 2, plus 2 per
//   indentation level); wider than options.terminal_width, every section with one row and a header row is
//   turned vertical (header | value rows) and the width recomputed. Column widths are scaled to the section's
//   width with Python's float division and round() (half to even), then adjusted one by one.
// - options.color is the ColorizedStyler: row cells in "\x1b[1m\x1b[34m"..."\x1b[0m", indentation bars in
//   "\x1b[2m\x1b[33m|\x1b[0m", and colorama's autoreset wrapper of sys.stdout appends "\x1b[0m" after every
//   write() table.py makes (IndentedStream writes a line as four pieces: left bars, text, right bars, "\n";
//   an empty piece still gets its reset). That wrapper is only there when aws writes to its stdout: with a
//   pager (a terminal, AWS_PAGER not empty) the pager gets the codes without the resets, and on a terminal
//   colorama's atexit handler writes one more "\x1b[0m" when aws exits: both are the caller's to add.
//
// Deliberate differences (the tests exclude exactly these):
// - Mixing str keys with the int keys a list element contributes makes Python's sorted() fail with "'<' not
//   supported between instances of 'str' and 'int'" (or 'int' and 'str', 'bool'...): which pair it compares
//   first depends on the set's order, hence on PYTHONHASHSEED, so aws itself varies run to run. Here the text
//   names the first str key's type and the first numeric key's type in that order, always.
// - Recursion: Python stops at its recursion limit (1000 frames, of which about 970 are left when the CLI
//   formats). Here every level of _build_table costs what it costs Python (a dict or a list of dicts two
//   frames, a list in a list one, str() of a nested value one per level) and past kMaxFrames the answer is
//   the error "maximum recursion depth exceeded while calling a Python object" (Python's text varies with the
//   place it stops; its threshold differs by a few frames between a response and --generate-cli-skeleton).
//   Calibrated on /usr/bin/aws: 485 nested dicts render, 486 fail; 971 nested lists render, 974 fail.
// - JSON binary values (which no JSON text holds) print as None. Integers are what nlohmann holds (64 bits);
//   Python's are unbounded.
//
// Pure: no I/O but TerminalWidth's ioctl, no exceptions escape (an allocation failure is the error
// "MemoryError: ..."), any thread.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace trailwatch::awsout {

struct TableOptions {
  std::string title;        // the operation name, e.g. "TestMetricFilter" (TableFormatter's command_name)
  int terminal_width = 80;  // what determine_terminal_width found (TerminalWidth(1); 80 when not a terminal)
  bool color = false;       // ColorizedStyler (--color on, or auto on a terminal) vs Styler
};

struct TableOutput {
  std::string text;   // what aws writes to stdout (empty for a falsy value)
  std::string error;  // what Python raised while formatting, text empty then
};

TableOutput FormatTable(const nlohmann::ordered_json& value, const TableOptions& options);

// determine_terminal_width(): the columns of the terminal on `fd` (ioctl TIOCGWINSZ, read as a signed short
// as Python's struct.unpack('hhhh') does, so 0 when the terminal has no size), 80 when the ioctl fails.
int TerminalWidth(int fd);

// get_text_length(): the width of UTF-8 text as table.py counts it.
int TextLength(std::string_view utf8);

// The Python frames the port allows before it answers with RecursionError's text (see above).
inline constexpr int kMaxFrames = 971;

namespace detail {
// unicodedata's answers of Python 3.11 for one code point: 2 when east_asian_width() is W, F or A, else 1;
// and str.isprintable() (what repr() escapes). For the tests.
int PythonCharWidth(char32_t c);
bool PythonPrintable(char32_t c);
}  // namespace detail

}  // namespace trailwatch::awsout
