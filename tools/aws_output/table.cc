// table.cc: the AWS CLI's --output table (awscli/formatter.py TableFormatter, awscli/table.py MultiTable),
// ported rule for rule: the building walk raises Python's exceptions (as a PyError caught at the API), the
// rendering reproduces table.py's write() calls one by one so that colorama's autoreset lands where it does
// in a real aws process. See table.h.
#include "tools/aws_output/table.h"

#include <sys/ioctl.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <set>
#include <vector>

#include "tools/jmespath/jmespath.h"

namespace trailwatch::awsout {
namespace {

using Json = nlohmann::ordered_json;

// A Python exception raised while building: its str().
struct PyError {
  std::string message;
};

[[noreturn]] void Raise(std::string message) { throw PyError{std::move(message)}; }

constexpr const char* kRecursionError = "maximum recursion depth exceeded while calling a Python object";

// ---- Python's view of the values --------------------------------------------------------------------------

bool IsScalar(const Json& v) { return !v.is_array() && !v.is_object(); }  // TableFormatter._scalar_type

bool Truthy(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::number_integer: return v.get<int64_t>() != 0;
    case Json::value_t::number_unsigned: return v.get<uint64_t>() != 0;
    case Json::value_t::number_float: return v.get<double>() != 0.0;  // NaN is true, as in Python
    case Json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object: return !v.empty();
    default: return false;  // binary and discarded: None
  }
}


// One code point of UTF-8 at s[*i] (advancing *i), or -1 for a byte that starts no valid sequence (one byte
// consumed).
int32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int n = 0;
  int32_t cp = 0, min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return -1;
  }
  if (*i + static_cast<size_t>(n) >= s.size()) {  // truncated
    ++*i;
    return -1;
  }
  for (int k = 1; k <= n; ++k) {
    const unsigned char b = byte(*i + static_cast<size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return -1;
  }
  *i += static_cast<size_t>(n) + 1;
  return cp;
}

// Unassigned in Python 3.11's Unicode 14.0: unassigned for ICU, or assigned by a later version.
bool UnassignedIn14(UChar32 c) {
  if (u_charType(c) == U_UNASSIGNED) return true;
  UVersionInfo age;
  u_charAge(c, age);
  return age[0] > 14 || (age[0] == 14 && (age[1] > 0 || age[2] > 0 || age[3] > 0));
}

// ---- str() and repr() -------------------------------------------------------------------------------------

void AppendStringRepr(std::string_view s, std::string* out) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  *out += quote;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const int32_t cp = NextCodePoint(s, &i);
    char buf[16];
    if (cp < 0) {
      out->append(s.substr(start, 1));  // not Python text: kept as it is
    } else if (cp == '\\' || cp == quote) {
      *out += '\\';
      *out += static_cast<char>(cp);
    } else if (cp == '\t') {
      *out += "\\t";
    } else if (cp == '\n') {
      *out += "\\n";
    } else if (cp == '\r') {
      *out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      *out += buf;
    } else if (cp < 0x80 || detail::PythonPrintable(static_cast<char32_t>(cp))) {
      out->append(s.substr(start, i - start));
    } else {
      if (cp <= 0xFF) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      } else if (cp <= 0xFFFF) {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
      }
      *out += buf;
    }
  }
  *out += quote;
}

// repr(v); `frames` is the Python depth at the call, each container level one more.
void AppendRepr(const Json& v, int frames, std::string* out) {
  if (v.is_string()) {
    AppendStringRepr(v.get_ref<const std::string&>(), out);
    return;
  }
  if (!v.is_array() && !v.is_object()) {
    *out += v.is_binary() || v.is_discarded() ? std::string("None") : jmespath::PythonStr(v);
    return;
  }
  if (frames + 1 > kMaxFrames) Raise(kRecursionError);
  if (v.is_array()) {
    *out += '[';
    bool first = true;
    for (const Json& e : v) {
      if (!first) *out += ", ";
      first = false;
      AppendRepr(e, frames + 1, out);
    }
    *out += ']';
    return;
  }
  *out += '{';
  bool first = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!first) *out += ", ";
    first = false;
    AppendStringRepr(it.key(), out);
    *out += ": ";
    AppendRepr(it.value(), frames + 1, out);
  }
  *out += '}';
}

// str(v), which six.text_type() is.
std::string Str(const Json& v, int frames) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_binary() || v.is_discarded()) return "None";
  if (IsScalar(v)) return jmespath::PythonStr(v);
  std::string out;
  AppendRepr(v, frames, &out);
  return out;
}

// ---- header keys -----------------------------------------------------------------------------------------
// A key of _group_scalar_keys: a dict's str key, or (a list element iterated as if it were a dict) one of the
// list's own ints or booleans, which Python then uses as an index.
struct Key {
  bool is_str = true;
  bool is_bool = false;
  int64_t num = 0;
  std::string str;

  std::string Text() const {
    if (is_str) return str;
    if (is_bool) return num ? "True" : "False";
    return std::to_string(num);
  }
};

// Python's sort of keys of one kind (a stable sort, by code point or by value).
void SortKeys(std::vector<Key>* keys) {
  std::stable_sort(keys->begin(), keys->end(),
                   [](const Key& a, const Key& b) { return a.is_str ? a.str < b.str : a.num < b.num; });
}

// set.update() of keys, in the order they came (the first of equal keys stays: True == 1).
struct KeySet {
  std::vector<Key> keys;
  std::set<std::string> strs;
  std::set<int64_t> nums;

  void Add(Key k) {
    if (k.is_str ? strs.insert(k.str).second : nums.insert(k.num).second) keys.push_back(std::move(k));
  }
};

// sorted(set): mixed kinds make Python's comparison fail.
void SortSet(std::vector<Key>* keys) {
  const auto str = std::find_if(keys->begin(), keys->end(), [](const Key& k) { return k.is_str; });
  const auto num = std::find_if(keys->begin(), keys->end(), [](const Key& k) { return !k.is_str; });
  if (str != keys->end() && num != keys->end()) {
    Raise(std::string("'<' not supported between instances of 'str' and '") +
          (num->is_bool ? "bool" : "int") + "'");
  }
  SortKeys(keys);
}

// TableFormatter._group_scalar_keys(current): `for element in current: current[element]`.
void GroupScalarKeys(const Json& current, std::vector<Key>* headers, std::vector<Key>* more) {
  if (current.is_object()) {
    for (auto it = current.begin(); it != current.end(); ++it) {
      (IsScalar(it.value()) ? headers : more)->push_back(Key{true, false, 0, it.key()});
    }
  } else if (current.is_array()) {
    const auto size = static_cast<int64_t>(current.size());
    for (const Json& element : current) {
      int64_t index = 0;
      bool is_bool = false;
      if (element.is_boolean()) {
        index = element.get<bool>() ? 1 : 0;
        is_bool = true;
      } else if (element.is_number_integer() && !element.is_number_unsigned()) {
        index = element.get<int64_t>();
      } else if (element.is_number_unsigned()) {
        if (element.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
          Raise("cannot fit 'int' into an index-sized integer");
        }
        index = static_cast<int64_t>(element.get<uint64_t>());
      } else {
        Raise(std::string("list indices must be integers or slices, not ") + jmespath::PythonTypeName(element));
      }
      const int64_t at = index < 0 ? index + size : index;
      if (at < 0 || at >= size) Raise("list index out of range");
      const Json& value = current[static_cast<size_t>(at)];
      (IsScalar(value) ? headers : more)->push_back(Key{false, is_bool, index, ""});
    }
  } else if (current.is_string()) {
    if (!current.get_ref<const std::string&>().empty()) Raise("string indices must be integers, not 'str'");
  } else {
    Raise(std::string("'") + jmespath::PythonTypeName(current) + "' object is not iterable");
  }
  SortKeys(headers);
  SortKeys(more);
}

// ---- MultiTable and Section -------------------------------------------------------------------------------

struct Section {
  std::optional<std::string> title = std::string();  // nullopt: Python's None
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  int64_t indent = 0;
  std::optional<size_t> num_cols;
  std::vector<int64_t> max_widths;

  void UpdateMaxWidths(const std::vector<std::string>& row) {
    if (max_widths.empty()) {
      for (const std::string& e : row) max_widths.push_back(TextLength(e));
      return;
    }
    for (size_t i = 0; i < row.size(); ++i) {
      if (i >= max_widths.size()) Raise("list index out of range");
      max_widths[i] = std::max<int64_t>(TextLength(row[i]), max_widths[i]);
    }
  }
  void AddHeader(std::vector<std::string> h) {
    UpdateMaxWidths(h);
    if (!num_cols) num_cols = h.size();
    headers = std::move(h);
  }
  void AddRow(std::vector<std::string> row) {
    if (!num_cols) num_cols = row.size();
    if (row.size() != *num_cols) {
      Raise("Row should have " + std::to_string(*num_cols) + " elements, instead it has " +
            std::to_string(row.size()));
    }
    rows.push_back(std::move(row));
    UpdateMaxWidths(rows.back());
  }

  // calculate_column_widths(padding, max_width)
  std::vector<int64_t> ColumnWidths(int64_t padding, std::optional<int64_t> max_width) const {
    std::vector<int64_t> widths;
    for (int64_t w : max_widths) widths.push_back(w + padding);
    if (!max_width || widths.empty()) return widths;
    int64_t sum = 0;
    for (int64_t w : widths) sum += w;
    const double scale = static_cast<double>(*max_width) / static_cast<double>(sum);
    int64_t scaled_sum = 0;
    for (int64_t& w : widths) {
      w = static_cast<int64_t>(std::nearbyint(scale * static_cast<double>(w)));  // round(): half to even
      scaled_sum += w;
    }
    int64_t off_by = scaled_sum - *max_width;
    const auto n = static_cast<int64_t>(widths.size());
    while (off_by != 0) {
      for (int64_t k = 0; k < n; ++k) {
        const size_t i = static_cast<size_t>(off_by < 0 ? n - 1 - k : k);
        if (off_by > 0) {
          --widths[i];
          --off_by;
        } else {
          ++widths[i];
          ++off_by;
        }
        if (off_by == 0) break;
      }
    }
    return widths;
  }

  // total_width(padding=4, with_border=True, outer_padding=indent)
  int64_t TotalWidth() const {
    int64_t total = 0;
    for (int64_t w : ColumnWidths(0, std::nullopt)) total += w + 4;
    total += 2 + 2 * indent;
    const int64_t title = TextLength(title_or_none());
    return std::max(title + 2 + 2 * indent, total);
  }
  std::string title_or_none() const { return title ? *title : std::string("None"); }
};

class Builder {
 public:
  std::vector<Section> sections;

  // TableFormatter._build_table; `frames` counts the Python frames of the callers.
  bool BuildTable(const std::optional<std::string>& title, const Json& current, int64_t indent, int frames) {
    if (++frames > kMaxFrames) Raise(kRecursionError);
    if (!Truthy(current)) return false;
    if (title) NewSection(title, indent);
    if (current.is_array()) {
      if (current[0].is_object()) {
        SubTableFromList(current, indent, title, frames);
      } else {
        for (const Json& item : current) {
          if (IsScalar(item)) {
            AddRow({Str(item, frames)});
          } else if (item.is_object()) {
            std::vector<std::string> keys;  // all() over a dict iterates its keys; so does the row
            for (auto it = item.begin(); it != item.end(); ++it) keys.push_back(it.key());
            AddRow(std::move(keys));
          } else if (std::all_of(item.begin(), item.end(), [](const Json& e) { return IsScalar(e); })) {
            std::vector<std::string> row;
            for (const Json& e : item) row.push_back(Str(e, frames));
            AddRow(std::move(row));
          } else {
            BuildTable(std::nullopt, item, 0, frames);
          }
        }
      }
    }
    if (current.is_object()) SubTableFromDict(current, indent, frames);
    return true;
  }

 private:
  Section& Current(const char* method) {
    if (sections.empty()) Raise(std::string("'NoneType' object has no attribute '") + method + "'");
    return sections.back();
  }
  void NewSection(const std::optional<std::string>& title, int64_t indent) {
    sections.emplace_back();
    sections.back().title = title;
    sections.back().indent = indent;
  }
  void AddRow(std::vector<std::string> row) { Current("add_row").AddRow(std::move(row)); }
  void AddHeader(const std::vector<Key>& headers) {
    std::vector<std::string> texts;
    for (const Key& k : headers) texts.push_back(k.Text());
    Current("add_header").AddHeader(std::move(texts));
  }

  void SubTableFromDict(const Json& current, int64_t indent, int frames) {
    if (++frames > kMaxFrames) Raise(kRecursionError);
    std::vector<Key> headers, more;
    GroupScalarKeys(current, &headers, &more);
    if (headers.size() == 1) {
      AddRow({headers[0].str, Str(current[headers[0].str], frames)});
    } else if (!headers.empty()) {
      AddHeader(headers);
      std::vector<std::string> row;
      for (const Key& k : headers) row.push_back(Str(current[k.str], frames));
      AddRow(std::move(row));
    }
    for (const Key& k : more) BuildTable(k.str, current[k.str], indent + 1, frames);
  }

  void SubTableFromList(const Json& current, int64_t indent, const std::optional<std::string>& title,
                        int frames) {
    if (++frames > kMaxFrames) Raise(kRecursionError);
    // _group_scalar_keys_from_list: the union of every element's keys (a set: the first equal one stays).
    KeySet headers, more;
    for (const Json& item : current) {
      std::vector<Key> h, m;
      GroupScalarKeys(item, &h, &m);
      for (Key& k : h) headers.Add(std::move(k));
      for (Key& k : m) more.Add(std::move(k));
    }
    std::vector<Key> header_keys = std::move(headers.keys), more_keys = std::move(more.keys);
    SortSet(&header_keys);
    SortSet(&more_keys);
    SubTableRows(current, indent, title, header_keys, more_keys, frames);
  }

  void SubTableRows(const Json& current, int64_t indent, const std::optional<std::string>& title,
                    const std::vector<Key>& headers, const std::vector<Key>& more, int frames) {
    AddHeader(headers);
    bool first = true;
    for (const Json& element : current) {
      if (!first && !more.empty()) {
        NewSection(title, indent);
        AddHeader(headers);
      }
      first = false;
      std::vector<std::string> row;
      for (const Key& h : headers) {
        if (!element.is_object()) {
          Raise(std::string("'") + jmespath::PythonTypeName(element) + "' object has no attribute 'get'");
        }
        const auto it = h.is_str ? element.find(h.str) : element.end();
        row.push_back(it == element.end() ? std::string() : Str(*it, frames));
      }
      AddRow(std::move(row));
      for (const Key& remaining : more) {
        // `remaining in element`: the keys in `more` are str (a list's elements only ever give headers); an
        // element still standing here that is no dict is [] or "" (anything else failed above).
        if (element.is_object()) {
          if (element.contains(remaining.str)) {
            BuildTable(remaining.str, element[remaining.str], indent + 1, frames);
          }
        } else if (element.is_string() && remaining.is_str && remaining.str.empty()) {
          Raise("string indices must be integers, not 'str'");  // "" in "" is true; ""[""] fails
        }
      }
    }
  }
};

// ---- rendering --------------------------------------------------------------------------------------------

constexpr const char* kReset = "\x1b[0m";

std::string Repeat(std::string_view s, int64_t n) {
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += s;
  return out;
}

// center_text(text, length, left_edge, right_edge, text_length)
std::string CenterText(const std::string& text, int64_t length, std::string_view left, std::string_view right,
                       int64_t text_length) {
  const auto floor_half = [](int64_t x) { return x >= 0 ? x / 2 : -((-x + 1) / 2); };
  const int64_t char_start = floor_half(length) - floor_half(text_length) - 1;
  std::string out(left);
  out += Repeat(" ", char_start);
  out += text;
  const int64_t so_far = TextLength(left) + char_start + text_length;
  out += Repeat(" ", length - TextLength(right) - so_far);
  out += right;
  return out;
}

// align_left(text, length, left_edge, right_edge, text_length, left_padding=2)
std::string AlignLeft(const std::string& text, int64_t length, std::string_view left, std::string_view right,
                      int64_t text_length) {
  const int64_t computed = text_length + 2 + TextLength(left) + TextLength(right);
  const int64_t padding = length - computed >= 0 ? 2 : 0;
  std::string out(left);
  out += Repeat(" ", padding);
  out += text;
  const int64_t so_far = static_cast<int64_t>(left.size()) + padding + text_length;
  out += Repeat(" ", length - so_far - static_cast<int64_t>(right.size()));
  out += right;
  return out;
}

class Renderer {
 public:
  explicit Renderer(bool color) : color_(color) {}

  std::string Render(std::vector<Section> sections, int terminal_width) {
    int64_t max_width = MaxWidth(sections);
    if (max_width > terminal_width) {
      ConvertToVertical(&sections);
      max_width = MaxWidth(sections);
    }
    Write(Repeat("-", max_width) + "\n");
    for (const Section& s : sections) RenderSection(s, max_width);
    return std::move(out_);
  }

 private:
  bool color_;
  std::string out_;

  // A write() on sys.stdout: colorama's autoreset follows each one.
  void Write(std::string_view text) {
    out_ += text;
    if (color_) out_ += kReset;
  }
  // IndentedStream.write
  void IndentedWrite(const std::string& bars, std::string_view text) {
    Write(bars);
    if (!text.empty() && text.back() == '\n') {
      Write(text.substr(0, text.size() - 1));
      Write(bars);
      Write("\n");
    } else {
      Write(text);
    }
  }

  static int64_t MaxWidth(const std::vector<Section>& sections) {
    int64_t max = 0;
    for (const Section& s : sections) max = std::max(max, s.TotalWidth());
    return max;
  }

  static void ConvertToVertical(std::vector<Section>* sections) {
    for (Section& s : *sections) {
      if (s.rows.size() != 1 || s.headers.empty()) continue;
      Section vertical;
      vertical.title = s.title;
      vertical.indent = s.indent;
      for (size_t i = 0; i < s.headers.size() && i < s.rows[0].size(); ++i) {
        vertical.AddRow({s.headers[i], s.rows[0][i]});
      }
      s = std::move(vertical);
    }
  }

  void LineBreak(const std::string& bars, const std::vector<int64_t>& widths) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      line += i == 0 ? "+" + Repeat("-", widths[i] - 2) + "+" : Repeat("-", widths[i] - 1) + "+";
    }
    IndentedWrite(bars, line + "\n");
  }

  void RenderSection(const Section& s, int64_t max_width) {
    const std::string bar = color_ ? std::string("\x1b[2m\x1b[33m|") + kReset : std::string("|");
    const std::string bars = Repeat(bar, s.indent);
    max_width -= s.indent * 2;
    // _render_title
    if (s.title && !s.title->empty()) {
      IndentedWrite(bars, CenterText(*s.title, max_width, "|", "|", TextLength(*s.title)) + "\n");
      if (s.headers.empty() && s.rows.empty()) IndentedWrite(bars, "+" + Repeat("-", max_width - 2) + "+\n");
    }
    // _render_column_titles
    if (!s.headers.empty()) {
      const std::vector<int64_t> widths = s.ColumnWidths(4, max_width);
      std::string current;
      for (size_t i = 0; i < widths.size() && i < s.headers.size(); ++i) {
        current += CenterText(s.headers[i], widths[i], i == 0 ? "|" : "", "|", TextLength(s.headers[i]));
      }
      LineBreak(bars, widths);
      IndentedWrite(bars, current + "\n");
    }
    // _render_rows
    if (s.rows.empty()) return;
    const std::vector<int64_t> widths = s.ColumnWidths(4, max_width);
    if (widths.empty()) return;
    LineBreak(bars, widths);
    for (const std::vector<std::string>& row : s.rows) {
      std::string current;
      for (size_t i = 0; i < widths.size() && i < row.size(); ++i) {
        const std::string styled = color_ ? "\x1b[1m\x1b[34m" + row[i] + kReset : row[i];
        current += AlignLeft(styled, widths[i], i == 0 ? "|" : "", "|", TextLength(row[i]));
      }
      IndentedWrite(bars, current + "\n");
    }
    LineBreak(bars, widths);
  }
};

}  // namespace

namespace detail {

int PythonCharWidth(char32_t c) {
  const auto u = static_cast<UChar32>(c);
  if (c > 0x10FFFF || UnassignedIn14(u)) return 2;  // Python's default record says 'F'
  const int ea = u_getIntPropertyValue(u, UCHAR_EAST_ASIAN_WIDTH);
  return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH || ea == U_EA_AMBIGUOUS ? 2 : 1;
}

bool PythonPrintable(char32_t c) {
  const auto u = static_cast<UChar32>(c);
  if (c == 0x20) return true;
  if (c > 0x10FFFF || UnassignedIn14(u)) return false;
  switch (u_charType(u)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_SPACE_SEPARATOR: return false;
    default: return true;
  }
}

}  // namespace detail

int TextLength(std::string_view utf8) {
  int64_t n = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {  // the common case, one byte one column
      ++i;
      ++n;
      continue;
    }
    const int32_t cp = NextCodePoint(utf8, &i);
    n += cp < 0 ? 1 : detail::PythonCharWidth(static_cast<char32_t>(cp));
  }
  return static_cast<int>(std::min<int64_t>(n, INT32_MAX));
}

int TerminalWidth(int fd) {
  struct winsize ws {};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 80;
  return static_cast<int16_t>(ws.ws_col);  // struct.unpack('hhhh'): signed
}

TableOutput FormatTable(const nlohmann::ordered_json& value, const TableOptions& options) {
  TableOutput out;
  try {
    Builder builder;
    if (!builder.BuildTable(options.title, value, 0, 0)) return out;
    out.text = Renderer(options.color).Render(std::move(builder.sections), options.terminal_width);
  } catch (const PyError& e) {
    out.text.clear();
    out.error = e.message;
  } catch (const std::exception& e) {
    out.text.clear();
    out.error = std::string("MemoryError: ") + e.what();
  }
  return out;
}

}  // namespace trailwatch::awsout
